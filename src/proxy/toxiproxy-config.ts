/** Toxiproxy's `-config` file: a JSON array of {name, listen, upstream, enabled}. */

import { messageOf } from "../model/message.js";
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
  if (!Array.isArray(data)) {
    throw new ConfigError(
      `${file}:1:1: expected an array of proxies like [{"name": "redis", "listen": "127.0.0.1:26379", "upstream": "127.0.0.1:6379"}]`,
    );
  }
  return data.map((item, i) => {
    const where = `${file}:${position(text, elementOffset(text, i))}: proxy ${i + 1}`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw new ConfigError(`${where}: expected an object with name, listen, upstream, enabled`);
    }
    const record = item as Record<string, unknown>;
    for (const key of ["name", "listen", "upstream"] as const) {
      const value = record[key];
      if (value !== undefined && typeof value !== "string") {
        throw new ConfigError(`${where}: field ${key} must be a string`);
      }
    }
    if (record.enabled !== undefined && typeof record.enabled !== "boolean") {
      throw new ConfigError(`${where}: field enabled must be true or false`);
    }
    if (typeof record.name !== "string" || record.name === "") {
      throw new ConfigError(`${where}: field name is required`);
    }
    if (typeof record.upstream !== "string" || record.upstream === "") {
      throw new ConfigError(`${where}: field upstream is required (host:port)`);
    }
    const proxy: ProxyConfig = { name: record.name, upstream: record.upstream };
    if (typeof record.listen === "string") proxy.listen = record.listen;
    if (typeof record.enabled === "boolean") proxy.enabled = record.enabled;
    return proxy;
  });
}
