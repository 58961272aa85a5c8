import { secretRedactor } from "../drill/redact.js";
import { messageOf } from "../model/message.js";
import { type ShareServer, startShareServer } from "../share/share-server.js";
import { UsageError } from "./exit.js";

export interface ShareFlags {
  share?: boolean;
  sharePort?: string;
  shareHost?: string;
  facilitator?: boolean;
}

/** `--share-port` and `--share-host` only mean something with `--share`; the port must be one. */
export function checkShareFlags(flags: ShareFlags): void {
  if (!flags.share && (flags.sharePort !== undefined || flags.shareHost !== undefined)) {
    throw new UsageError("--share-port and --share-host need --share");
  }
  // Shared, the facilitator has a screen of their own: the responder's must not show the truth.
  if (flags.share && flags.facilitator) {
    throw new UsageError(
      "--share and --facilitator: with --share the facilitator joins with the facilitator's join line (firedrill join … --role facilitator); drop --facilitator",
    );
  }
  if (flags.sharePort !== undefined) {
    const port = Number(flags.sharePort);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new UsageError(`--share-port must be a port number 0-65535, got "${flags.sharePort}"`);
    }
  }
}

/**
 * Starts serving the drill when `--share` asks for it: 127.0.0.1 and a free port unless told
 * otherwise. A port that is taken is the user's to change, not a crash.
 */
export async function startSharing(
  flags: ShareFlags,
  onNotice: (text: string) => void,
): Promise<ShareServer | undefined> {
  if (!flags.share) return undefined;
  const host = flags.shareHost ?? "127.0.0.1";
  try {
    return await startShareServer({
      host,
      port: flags.sharePort === undefined ? 0 : Number(flags.sharePort),
      redact: secretRedactor(),
      onNotice,
    });
  } catch (error) {
    throw new UsageError(
      `cannot serve the drill on ${host}:${flags.sharePort ?? 0}: ${messageOf(error)}; pick another --share-port or --share-host`,
    );
  }
}
