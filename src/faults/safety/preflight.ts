import { messageOf } from "../../model/message.js";
import type { Scenario } from "../../model/scenario.js";
import { describeProbe, runProbe } from "../../probes/index.js";
import type { ProbeRunner } from "../../probes/types.js";
import { usesToxiproxy } from "../label.js";
import { ToxiproxyApi } from "../toxiproxy-api.js";
import { checkAllowList } from "./allow-list.js";
import { describeLeftovers, findLeftovers, hasLeftovers } from "./leftovers.js";

export interface PreflightCheck {
  /** `allow-list`, `toxiproxy`, `leftovers` or `probe <name>` */
  name: string;
  ok: boolean;
  /** true when the check was not run because an earlier one failed */
  skipped?: boolean;
  detail: string;
}

export interface PreflightReport {
  ok: boolean;
  checks: PreflightCheck[];
}

export interface PreflightInput {
  scenario: Scenario;
  allowHosts: readonly string[];
  productionPatterns: readonly string[];
  toxiproxyUrl?: string;
  allowProduction?: boolean;
  /** the drill about to start: its own toxics are not leftovers */
  drillId?: string;
  signal?: AbortSignal;
  /** for callers that wrap probes (e.g. to record results); default `runProbe` */
  probeRunner?: ProbeRunner;
}

/**
 * The gameday checks before anything is applied: the allow-list passes, Toxiproxy answers, no
 * earlier drill's toxics are left over, and every probe passes (steady state holds). A failed
 * preflight means: apply nothing.
 */
export async function runPreflight(input: PreflightInput): Promise<PreflightReport> {
  const checks: PreflightCheck[] = [];
  const api = new ToxiproxyApi(input.toxiproxyUrl);
  const refusals = checkAllowList({ ...input, toxiproxyUrl: api.url });
  checks.push({
    name: "allow-list",
    ok: refusals.length === 0,
    detail:
      refusals.length === 0
        ? "every host is allowed"
        : refusals.map((r) => `${r.field}: ${r.reason}`).join("; "),
  });
  const allowed = refusals.length === 0;
  const skip = (name: string): PreflightCheck => ({
    name,
    ok: false,
    skipped: true,
    detail: "not checked: the allow-list refused a host",
  });

  const toxiproxyNeeded = usesToxiproxy(input.scenario);
  if (toxiproxyNeeded && !allowed) checks.push(skip("toxiproxy"), skip("leftovers"));
  else if (toxiproxyNeeded) {
    let reachable = false;
    try {
      const version = await api.version();
      reachable = true;
      checks.push({
        name: "toxiproxy",
        ok: true,
        detail: `${api.url} answers (version ${version})`,
      });
    } catch (error) {
      checks.push({ name: "toxiproxy", ok: false, detail: messageOf(error) });
    }
    if (!reachable) {
      checks.push({
        name: "leftovers",
        ok: false,
        skipped: true,
        detail: "not checked: Toxiproxy does not answer",
      });
    } else {
      try {
        const leftovers = await findLeftovers(api.url, input.drillId);
        checks.push({
          name: "leftovers",
          ok: !hasLeftovers(leftovers),
          detail: hasLeftovers(leftovers)
            ? `${describeLeftovers(leftovers)}; run \`firedrill cleanup --url ${api.url}\``
            : "no firedrill toxics left over",
        });
      } catch (error) {
        checks.push({ name: "leftovers", ok: false, detail: messageOf(error) });
      }
    }
  }

  const runner = input.probeRunner ?? runProbe;
  const probeChecks = await Promise.all(
    input.scenario.probes.map(async (probe): Promise<PreflightCheck> => {
      const name = `probe ${probe.name}`;
      if (!allowed) return skip(name);
      const result = await runner(probe, { signal: input.signal });
      return {
        name,
        ok: result.ok,
        detail: `${describeProbe(probe)}: ${result.detail} in ${result.latencyMs}ms`,
      };
    }),
  );
  checks.push(...probeChecks);
  return { ok: checks.every((check) => check.ok), checks };
}
