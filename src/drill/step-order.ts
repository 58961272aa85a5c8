/**
 * Which done steps of the expected procedure were out of the runbook's order. The score
 * (score.ts) takes its "actions in order" and "checks before actions" points from this, and the
 * report flags exactly these steps, so a responder reads about the same mistakes they lost points
 * for. docs/scoring.md states the rule in prose; change both together.
 */

export interface OrderStep {
  id: string;
  kind: string;
  optional?: boolean;
}

export interface StepOrder {
  /** Done actions, in runbook order. */
  actions: string[];
  /** Done actions not on the in-order run, each with why (`done before x, which …`). */
  actionsOutOfOrder: Map<string, string>;
  /** Required checks listed before a done action, each with that action (the first listed after it). */
  checksDue: Map<string, string>;
  /** Due checks done no later than their action. */
  checksFirst: Set<string>;
}

/**
 * Actions: the longest run of done actions that follows the runbook's order is in order, every
 * other done action is not, so one late action flags that action rather than every action done
 * before it. Among equally long runs, the one that keeps the actions listed earliest wins.
 * Checks: a required check listed before a done action is due before the first such action.
 */
export function judgeOrder(
  steps: readonly OrderStep[],
  doneAt: ReadonlyMap<string, number>,
): StepOrder {
  const listed = steps
    .map((step, index) => ({ step, index }))
    .filter(({ step }) => step.kind === "action" && doneAt.has(step.id));
  const byTime = [...listed].sort((a, b) => doneAt.get(a.step.id)! - doneAt.get(b.step.id)!);
  const kept = inOrderRun(byTime.map((a) => a.index));

  const actionsOutOfOrder = new Map<string, string>();
  byTime.forEach((action, position) => {
    if (kept.has(position)) return;
    const listedFirst = byTime.find((b, j) => j > position && b.index < action.index);
    const listedLater = byTime.find((b, j) => j < position && b.index > action.index);
    actionsOutOfOrder.set(
      action.step.id,
      listedFirst
        ? `done before ${listedFirst.step.id}, which the runbook puts first`
        : `done after ${listedLater!.step.id}, which the runbook puts later`,
    );
  });

  const checksDue = new Map<string, string>();
  const checksFirst = new Set<string>();
  steps.forEach((step, index) => {
    if (step.kind !== "check" || step.optional) return;
    const next = listed.find((a) => a.index > index);
    if (!next) return;
    checksDue.set(step.id, next.step.id);
    const checkT = doneAt.get(step.id);
    if (checkT !== undefined && checkT <= doneAt.get(next.step.id)!) checksFirst.add(step.id);
  });

  return { actions: listed.map((a) => a.step.id), actionsOutOfOrder, checksDue, checksFirst };
}

/**
 * Positions in `order` (runbook indices in the order done) of its longest increasing run; among
 * equally long runs, the one whose runbook indices are smallest, compared first to last.
 */
function inOrderRun(order: readonly number[]): Set<number> {
  // longestFrom[i]: the longest increasing run that starts at position i.
  const longestFrom = order.map(() => 1);
  for (let i = order.length - 1; i >= 0; i--) {
    for (let j = i + 1; j < order.length; j++) {
      if (order[j]! > order[i]!) longestFrom[i] = Math.max(longestFrom[i]!, longestFrom[j]! + 1);
    }
  }
  const kept = new Set<number>();
  let need = Math.max(0, ...longestFrom);
  let after = -1;
  while (need > 0) {
    let pick = -1;
    for (let i = after + 1; i < order.length; i++) {
      const fits = longestFrom[i] === need && (after === -1 || order[i]! > order[after]!);
      if (fits && (pick === -1 || order[i]! < order[pick]!)) pick = i;
    }
    kept.add(pick);
    after = pick;
    need--;
  }
  return kept;
}
