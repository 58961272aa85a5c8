/**
 * A small well-formedness check for the XML firedrill writes (no DTDs, no CDATA): every tag closed
 * in order, attributes quoted and unique, only the five predefined entities or numeric ones.
 */
export function checkXml(text: string): { root: string; count: (tag: string) => number } {
  const body = text.replace(/^<\?xml [^?]*\?>\s*/, "");
  const stack: string[] = [];
  const counts = new Map<string, number>();
  let root = "";
  const token =
    /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*\s*=\s*"[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/gy;
  for (let m = token.exec(body); m; m = token.exec(body)) {
    if (m[6])
      throw new Error(
        `malformed markup at offset ${m.index}: ${body.slice(m.index, m.index + 40)}`,
      );
    const text = m[5];
    if (text !== undefined) {
      if (stack.length === 0 && text.trim() !== "")
        throw new Error(`text outside the root: ${text.slice(0, 40)}`);
      checkEntities(text);
      continue;
    }
    const [, closing, name, attrs = "", selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open ?? "nothing"}>`);
      continue;
    }
    if (stack.length === 0) {
      if (root !== "") throw new Error(`a second root element <${name}>`);
      root = name!;
    }
    const seen = new Set<string>();
    for (const a of attrs.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*"([^"]*)"/g)) {
      if (seen.has(a[1]!)) throw new Error(`duplicate attribute ${a[1]} on <${name}>`);
      seen.add(a[1]!);
      checkEntities(a[2]!);
    }
    counts.set(name!, (counts.get(name!) ?? 0) + 1);
    if (!selfClosing) stack.push(name!);
  }
  if (token.lastIndex !== 0 && token.lastIndex < body.length) throw new Error("trailing garbage");
  if (stack.length > 0) throw new Error(`unclosed <${stack.join("> <")}>`);
  if (root === "") throw new Error("no root element");
  return { root, count: (tag) => counts.get(tag) ?? 0 };
}

function checkEntities(text: string): void {
  for (const m of text.matchAll(/&([^;\s]*);?/g)) {
    if (!/^(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+)$/.test(m[1]!) || !m[0].endsWith(";"))
      throw new Error(`bad entity ${m[0]}`);
  }
}
