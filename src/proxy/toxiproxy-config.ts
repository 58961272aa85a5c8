/** Toxiproxy's `-config` file, read in the lenient mode of its one schema (model/toxiproxy-config-file.ts). */

import { messageOf } from "../model/message.js";
import { toxiproxyConfig } from "../model/toxiproxy-config-file.js";
import type { ProxyConfig } from "./collection.js";

export class ConfigError extends Error {}

function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `${line}:${column}`;
}

/** Where in the text the n-th array element starts, for messages naming file:line:col. */
function elementOffset(text: string, index: number): number {
  let depth = 0;
  let inString = false;
  let seen = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (c === "[" || c === "{") {
      if (depth === 1 && c === "{") {
        seen++;
        if (seen === index) return i;
      }
      depth++;
    } else if (c === "]" || c === "}") depth--;
  }
  return 0;
}

export function parseToxiproxyConfig(text: string, file: string): ProxyConfig[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = messageOf(error);
    const at = /position (\d+)/.exec(message)?.[1];
    const offset = at !== undefined ? Number(at) : /end of JSON/.test(message) ? text.length : 0;
    throw new ConfigError(`${file}:${position(text, offset)}: invalid JSON: ${message}`);
  }
  const result = toxiproxyConfig("lenient").safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const index = issue.path[0];
  if (typeof index !== "number") throw new ConfigError(`${file}:1:1: ${issue.message}`);
  const where = `${file}:${position(text, elementOffset(text, index))}: proxy ${index + 1}`;
  throw new ConfigError(`${where}: ${issue.message}`);
}
