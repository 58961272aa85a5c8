import { Text } from "ink";
import { type Binding, footerItems } from "../keys.js";

/** Every key the screen answers to, packed into `rows` lines of `width`. */
export function packFooter(items: readonly string[], width: number, rows: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const item of items) {
    const next = line === "" ? item : `${line} · ${item}`;
    if (next.length <= width || line === "") line = next;
    else {
      lines.push(line);
      line = item;
    }
  }
  if (line) lines.push(line);
  if (lines.length > rows && rows > 0) {
    const kept = lines.slice(0, rows);
    kept[rows - 1] = `${kept[rows - 1]} · ? more`.slice(0, width);
    return kept;
  }
  return lines;
}

export function Footer({
  bindings,
  extra = [],
  width,
  rows,
}: {
  bindings: readonly Binding<string>[];
  extra?: readonly string[];
  width: number;
  rows: number;
}) {
  const lines = packFooter([...footerItems(bindings), ...extra], width, rows);
  while (lines.length < rows) lines.push("");
  return (
    <>
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: footer rows are positional
        <Text key={i} dimColor wrap="truncate-end">
          {line === "" ? " " : line}
        </Text>
      ))}
    </>
  );
}
