import type { Interface } from "node:readline";
import { eventLine } from "../drill/event-text.js";
import { parseJoinCommand } from "../share/join-commands.js";
import { type JoinEnd, joinDrill } from "../share/share-client.js";
import type { JoinRole } from "../share/share-protocol.js";

export interface PlainIO {
  out: (line: string) => void;
  err: (line: string) => void;
  /** the role's commands, one per line; null for an observer or a terminal */
  input: Interface | null;
}

/**
 * `firedrill join` without a terminal: the timeline as plain lines (who did what, the debrief's
 * wording), commands from stdin, and the drill's outcome at the end.
 */
export async function followPlain(
  url: string,
  role: JoinRole,
  token: string,
  io: PlainIO,
): Promise<JoinEnd> {
  let greeted = false;
  const verdicts = new Map<string, boolean>();
  const client = joinDrill({
    url,
    token,
    onHello: ({ setup, drillId }) => {
      if (greeted) return;
      greeted = true;
      const { scenario, mode, responder } = setup;
      io.out(
        `joined ${scenario.title} (${scenario.id}, drill ${drillId}), ${mode}, responder ${responder}, as ${role}`,
      );
    },
    onEvent: (shared) => {
      const { event } = shared;
      // A probe's heartbeat is noise: a line when its verdict changes, as `run` prints it.
      if (event.type === "probe.result") {
        if (verdicts.get(event.probe) === event.ok) return;
        verdicts.set(event.probe, event.ok);
      }
      io.out(eventLine(shared, { actors: true }));
    },
    onNotice: (text) => io.err(`firedrill: ${text}`),
  });
  io.input?.on("line", (line) => {
    if (line.trim() === "") return;
    const action = parseJoinCommand(role, line);
    if (typeof action === "string") {
      io.err(`firedrill: ${action}`);
      return;
    }
    void client.act(action).then((result) => {
      io.err(
        result.ok
          ? `firedrill: ${line.trim()}: done`
          : `firedrill: ${line.trim()}: refused: ${result.error}`,
      );
    });
  });
  const end = await client.done;
  io.input?.close();
  if (end.kind === "ended") {
    for (const line of end.end.lines) io.out(`drill over: ${line}`);
  } else io.err(`firedrill: ${end.error}`);
  return end;
}
