import { CST } from "yaml";

/**
 * How deeply values may nest. A scenario needs 6 levels (faults[0].command.inject[0]); the cap
 * exists because the `yaml` composer and our own walks of its tree recurse, and 5,000 levels of
 * `[` in a 10 KB file overflowed the stack.
 */
export const MAX_NESTING = 64;

export const NESTING_MESSAGE = `nesting deeper than ${MAX_NESTING} levels; scenarios and runbooks need fewer than 10, so flatten this structure`;

/**
 * Where a document's syntax tree (yaml's CST, which its lexer and parser build without recursion)
 * first nests collections deeper than MAX_NESTING, or undefined. Walked with a stack of our own,
 * so the check cannot overflow either; it runs before the composer, which recurses.
 */
export function tooDeepAt(tokens: readonly CST.Token[]): number | undefined {
  const pending: Array<{ token: CST.Token; depth: number }> = tokens.map((token) => ({
    token,
    depth: 0,
  }));
  while (pending.length > 0) {
    const { token, depth } = pending.pop()!;
    if (token.type === "document") {
      if (token.value) pending.push({ token: token.value, depth });
      continue;
    }
    if (!CST.isCollection(token)) continue;
    if (depth + 1 > MAX_NESTING) return token.offset;
    for (const item of token.items) {
      if (item.key) pending.push({ token: item.key, depth: depth + 1 });
      if (item.value) pending.push({ token: item.value, depth: depth + 1 });
    }
  }
  return undefined;
}
