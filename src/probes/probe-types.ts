import type { Probe } from "../model/scenario.js";

export interface ProbeResult {
  ok: boolean;
  /** time the check took, also recorded for failed checks (up to the timeout) */
  latencyMs: number;
  /** why it failed in a few words (`503 Service Unavailable`, `ECONNREFUSED`), or what it saw */
  detail: string;
}

export interface ProbeOptions {
  /** aborts the check early (drill ended); the result then says `cancelled` */
  signal?: AbortSignal;
}

export type ProbeRunner = (probe: Probe, options?: ProbeOptions) => Promise<ProbeResult>;
