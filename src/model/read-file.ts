import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";

/** Scenarios, runbooks and configs are a few KB; a bigger file is a mistake, not a drill. */
export const MAX_INPUT_BYTES = 1024 * 1024;

export type ReadText =
  | { ok: true; text: string }
  | { ok: false; reason: string; code?: string | undefined };

function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}

/**
 * Reads a regular file of at most `maxBytes`. Anything else is refused with a reason instead of
 * read: a FIFO would block forever, a symbolic link to /dev/zero would fill memory. The type is
 * checked on the opened descriptor (non-blocking, so opening a FIFO returns at once), so the file
 * cannot be swapped between the check and the read.
 */
export function readRegularFile(path: string, maxBytes = MAX_INPUT_BYTES): ReadText {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: reasonOf(error), code };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory())
      return { ok: false, reason: "is a directory, expected a file", code: "EISDIR" };
    if (!stat.isFile()) return { ok: false, reason: `not a regular file (${kindOf(stat)})` };
    if (stat.size > maxBytes) {
      return { ok: false, reason: `too large (${mib(stat.size)}; at most ${mib(maxBytes)})` };
    }
    const text = readFileSync(fd, "utf8");
    if (Buffer.byteLength(text) > maxBytes) {
      return { ok: false, reason: `too large (grew past ${mib(maxBytes)} while read)` };
    }
    return { ok: true, text };
  } catch (error) {
    return { ok: false, reason: reasonOf(error), code: (error as NodeJS.ErrnoException).code };
  } finally {
    closeSync(fd);
  }
}

function kindOf(stat: ReturnType<typeof fstatSync>): string {
  if (stat.isFIFO()) return "a FIFO";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  if (stat.isSocket()) return "a socket";
  return "not a file";
}

/** Why a file could not be read, in a few words. */
export function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ENOENT") return "file not found";
  if (code === "EISDIR") return "is a directory, expected a file";
  if (code === "ENAMETOOLONG") return "path too long";
  if (code === "ELOOP") return "too many symbolic links";
  return code ?? (error instanceof Error ? error.message : String(error));
}
