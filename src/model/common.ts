import { z } from "zod";
import { parseHostPort } from "./host-port.js";

/** Ids name journal files and directories: short enough for any file system's name limit. */
export const MAX_ID_LENGTH = 64;

export const Id = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]*$/,
    "use lower-case letters, digits, '.', '_' or '-' (e.g. db-latency)",
  )
  .max(MAX_ID_LENGTH);

/** An argv array (run without a shell) or a command line string (needs `shell: true`). */
export const Command = z.union([z.array(z.string()).min(1), z.string().min(1)]);
export type Command = z.infer<typeof Command>;

/**
 * A command as a line one could paste into a shell: a string as written (it runs through the
 * shell), an argv with every argument that is not plainly safe single-quoted.
 */
export function commandText(command: readonly string[] | string): string {
  if (typeof command === "string") return command;
  return command.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : shellQuote(arg))).join(" ");
}

function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

export const HostPort = z
  .string()
  .regex(HOST_PORT, "use host:port, e.g. 127.0.0.1:5432")
  // one problem per value: a value that is not host:port at all is not also out of range
  .refine(
    (value) => !HOST_PORT.test(value) || parseHostPort(value) !== undefined,
    "the port must be from 0 to 65535",
  );
