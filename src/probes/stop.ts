import type { ProbeResult, StopBreach, StopCondition } from "./types.js";

/**
 * Where in a run of results a stop condition is breached: the index of the result that made it
 * `failures` consecutive failures, or undefined when it never was.
 */
export function breachIndex(
  condition: StopCondition,
  results: readonly Pick<ProbeResult, "ok">[],
): number | undefined {
  let streak = 0;
  for (const [index, result] of results.entries()) {
    streak = result.ok ? 0 : streak + 1;
    if (streak >= condition.failures) return index;
  }
  return undefined;
}

/**
 * Feeds probe results one by one (as they arrive) and reports a breach of any `safety.stopWhen`
 * entry the moment it happens; each condition reports once.
 */
export class StopMonitor {
  private readonly streaks = new Map<string, number>();
  private readonly breached = new Set<StopCondition>();

  constructor(private readonly conditions: readonly StopCondition[]) {}

  observe(probe: string, result: ProbeResult): StopBreach | undefined {
    const streak = result.ok ? 0 : (this.streaks.get(probe) ?? 0) + 1;
    this.streaks.set(probe, streak);
    for (const condition of this.conditions) {
      if (condition.probe !== probe || this.breached.has(condition)) continue;
      if (streak >= condition.failures) {
        this.breached.add(condition);
        return {
          probe,
          failures: streak,
          reason: `${probe} failed ${streak} times in a row (last: ${result.detail})`,
        };
      }
    }
    return undefined;
  }

  /** Consecutive failures seen so far for a probe. */
  streak(probe: string): number {
    return this.streaks.get(probe) ?? 0;
  }
}
