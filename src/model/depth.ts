import { Lexer } from "yaml";

/**
 * How deeply values may nest. A scenario needs 6 levels (faults[0].command.inject[0]); the cap
 * exists because every reader of a tree (the `yaml` composer, the fast reader, our own walks)
 * recurses, and 5,000 levels of `[` in a 10 KB file overflowed the stack.
 */
export const MAX_NESTING = 64;

export const NESTING_MESSAGE = `nesting deeper than ${MAX_NESTING} levels; scenarios and runbooks need fewer than 10, so flatten this structure`;

// Zero-width markers the lexer puts before documents, flow ends and scalars.
const DOCUMENT = "\x02";
const FLOW_END = "\x18";
const SCALAR = "\x1f";

/**
 * Where a YAML text first nests deeper than MAX_NESTING, or undefined. One pass over yaml's own
 * lexer, which is iterative and knows quotes, comments and block scalars, so nothing recursive
 * runs before the depth is known. Block levels are the indentation columns open at a token;
 * flow levels are the brackets open. It may count one level more than the tree has (a scalar
 * after `key:` opens a column) and, for a sequence at its parent key's column, half as many:
 * deep enough to catch any tree deep enough to hurt, never close to a real file's depth.
 */
export function tooDeepAt(text: string): number | undefined {
  const columns: number[] = [];
  let flow = 0;
  let offset = 0;
  let lineStart = 0;
  let afterScalarMarker = false;
  let blockHeader = false;
  for (const token of new Lexer().lex(text)) {
    if (token === DOCUMENT || token === FLOW_END) continue;
    if (token === SCALAR) {
      afterScalarMarker = true;
      continue;
    }
    const start = offset;
    offset += token.length;
    const content = afterScalarMarker;
    afterScalarMarker = false;
    const first = token[0];
    // A block scalar's text (after `|` or `>`) is no node, whatever its indentation.
    const blockText = content && blockHeader;
    if (content) blockHeader = false;
    else if (first !== " " && first !== "\n" && first !== "\r" && first !== "#") {
      blockHeader = first === "|" || first === ">";
    }
    const startsNode = content
      ? !blockText
      : first === "[" ||
        first === "{" ||
        first === "-" ||
        first === "?" ||
        first === '"' ||
        first === "'" ||
        first === "&" ||
        first === "!" ||
        first === "*" ||
        first === "|" ||
        first === ">";
    if (startsNode && flow === 0) {
      const column = start - lineStart;
      while (columns.length > 0 && columns[columns.length - 1]! > column) columns.pop();
      if (columns.length === 0 || columns[columns.length - 1]! < column) columns.push(column);
    }
    if (first === "[" || first === "{") flow++;
    else if ((first === "]" || first === "}") && flow > 0) flow--;
    if (columns.length + flow > MAX_NESTING + 1) return start;
    const newline = token.lastIndexOf("\n");
    if (newline >= 0) lineStart = start + newline + 1;
  }
  return undefined;
}
