import type { ResponderAction } from "../drill/actions.js";
import { type Actor, NOTE_TAGS, type TimedEvent } from "../drill/events.js";
import type { DrillSetup } from "../drill/state.js";

/**
 * The wire between a shared drill and the people who join it: Server-Sent Events for the drill's
 * events (GET /events), one POST per action (POST /action). Every request carries its role's
 * token as `Authorization: Bearer <token>`.
 */
export type JoinRole = "facilitator" | "observer" | "scribe";
export const JOIN_ROLES: readonly JoinRole[] = ["facilitator", "observer", "scribe"];

export const EVENTS_PATH = "/events";
export const ACTION_PATH = "/action";

/** Sent first on every connection: what is being drilled, so a client can replay the events. */
export interface HelloMessage {
  role: JoinRole;
  drillId: string;
  setup: DrillSetup;
}

/** One drill event with its sequence number (1-based, the SSE `id`): resuming never repeats one. */
export interface SharedEvent extends TimedEvent {
  seq: number;
}

/** Who is connected now, by role (the responder is always there: they run the drill). */
export type Presence = Record<JoinRole, number>;

/** The last message: how the drill ended, in the words the responder's terminal uses. */
export interface EndMessage {
  lines: string[];
  exitCode: number;
}

/** Why the server closed a client before the drill ended. */
export interface DroppedMessage {
  reason: string;
}

/** Who a role acts as: an observer takes no action at all. */
export function actorOfRole(role: JoinRole): Actor | null {
  return role === "observer" ? null : role;
}

/**
 * The action in a POST body, or why it is not one. Only the shapes a joined role could send are
 * accepted; the engine then decides whether the role may take it now.
 */
export function parseAction(body: unknown): ResponderAction | string {
  if (typeof body !== "object" || body === null) return "the body must be a JSON object";
  const b = body as Record<string, unknown>;
  const reason = () => (typeof b.reason === "string" ? b.reason.slice(0, 500) : "");
  switch (b.type) {
    case "revealNextSignal":
    case "injectNextFault":
    case "resumeClock":
      return { type: b.type };
    case "giveHint":
      if (b.hint !== undefined && !Number.isInteger(b.hint)) return "hint must be an integer";
      return b.hint === undefined
        ? { type: "giveHint" }
        : { type: "giveHint", hint: b.hint as number };
    case "pauseClock":
      return reason() ? { type: "pauseClock", reason: reason() } : { type: "pauseClock" };
    case "endDrill":
    case "abort":
      if (!reason()) return `${b.type} needs a reason`;
      return { type: b.type, reason: reason() };
    case "note": {
      if (typeof b.text !== "string" || b.text.trim() === "") return "a note needs its text";
      const tag = NOTE_TAGS.find((t) => t === b.tag);
      if (b.tag !== undefined && !tag) return `tag must be one of ${NOTE_TAGS.join(", ")}`;
      return { type: "note", text: b.text.slice(0, 2000), ...(tag ? { tag } : {}) };
    }
    default:
      return `unknown action ${JSON.stringify(b.type ?? null)}`;
  }
}

/** "facilitator, scribe, 2 observers", or "nobody yet": the responder's header says it. */
export function presenceText(presence: Presence): string {
  const parts: string[] = [];
  for (const role of JOIN_ROLES) {
    const n = presence[role];
    if (n === 0) continue;
    parts.push(n === 1 ? role : `${n} ${role}s`);
  }
  return parts.length === 0 ? "nobody yet" : parts.join(", ");
}
