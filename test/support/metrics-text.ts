export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A reader for the lines this format has: `name{a="…",…} value`, with the escapes undone. */
export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const head = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
    if (!head) throw new Error(`not a sample: ${line}`);
    const name = head[1] ?? "";
    let i = name.length;
    const labels: Record<string, string> = {};
    if (line[i] === "{") {
      i++;
      while (line[i] !== "}") {
        const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(i));
        if (!label) throw new Error(`bad label at ${i}: ${line}`);
        i += label[0].length;
        let value = "";
        while (line[i] !== '"') {
          if (line[i] === "\\") {
            const next = line[i + 1];
            value += next === "n" ? "\n" : next;
            i += 2;
          } else value += line[i++];
        }
        labels[label[1] ?? ""] = value;
        i++;
        if (line[i] === ",") i++;
      }
      i++;
    }
    samples.push({ name, labels, value: Number(line.slice(i).trim()) });
  }
  return samples;
}

/** The value of the one sample named `name` whose labels include `labels`; undefined when none. */
export function sampleValue(
  samples: readonly Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return samples.find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;
}
