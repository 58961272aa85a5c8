/**
 * Names that make firedrill's changes to a Toxiproxy recognisable by anyone, later, without any
 * local state: every toxic a drill adds is `firedrill.<drillId>.<n>`, and every proxy firedrill
 * creates carries a marker toxic `firedrill-created.<drillId>` (a `noop` with toxicity 0: it never
 * touches a connection). `firedrill cleanup` and the leftover check rely on these two conventions.
 * A drill also holds a claim on each proxy it drills: a disabled proxy `firedrill-claim.<proxy>`,
 * marked like a created one. Creating a proxy whose name is taken fails, so of two drills claiming
 * the same proxy only one can succeed.
 */
export const TOXIC_PREFIX = "firedrill.";
export const CREATED_MARKER_PREFIX = "firedrill-created.";
export const CLAIM_PREFIX = "firedrill-claim.";

export function claimName(proxy: string): string {
  return `${CLAIM_PREFIX}${proxy}`;
}

/** The proxy a claim is for, or undefined when `name` is not a claim. */
export function claimedProxy(name: string): string | undefined {
  return name.startsWith(CLAIM_PREFIX) ? name.slice(CLAIM_PREFIX.length) : undefined;
}

export function toxicName(drillId: string, index: number): string {
  return `${TOXIC_PREFIX}${drillId}.${index}`;
}

export function createdMarkerName(drillId: string): string {
  return `${CREATED_MARKER_PREFIX}${drillId}`;
}

export function isFiredrillToxic(name: string): boolean {
  return name.startsWith(TOXIC_PREFIX);
}

export function isCreatedMarker(name: string): boolean {
  return name.startsWith(CREATED_MARKER_PREFIX);
}

/** The drill a firedrill toxic or marker belongs to. */
export function drillOf(name: string): string | undefined {
  if (isCreatedMarker(name)) return name.slice(CREATED_MARKER_PREFIX.length);
  if (!isFiredrillToxic(name)) return undefined;
  const rest = name.slice(TOXIC_PREFIX.length);
  const dot = rest.lastIndexOf(".");
  return dot > 0 ? rest.slice(0, dot) : rest;
}
