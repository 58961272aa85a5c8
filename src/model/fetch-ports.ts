/**
 * The ports Node's fetch refuses to connect to, whatever listens there: the Fetch standard's "bad
 * ports" (https://fetch.spec.whatwg.org/#port-blocking), ports of other protocols a browser could
 * be tricked into speaking to. Node reports them only as "bad port".
 */
export const FETCH_REFUSED_PORTS: readonly number[] = [
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
  103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
  512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
  995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
  6669, 6679, 6697, 10080,
];

const REFUSED = new Set(FETCH_REFUSED_PORTS);

/** The port of an http(s) URL when Node's fetch would refuse it, else undefined. */
export function fetchRefusedPort(url: string): number | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return undefined;
  const port = Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80));
  return REFUSED.has(port) ? port : undefined;
}

/** Why a URL on a refused port cannot be used, in words a user can act on. */
export function fetchRefusedPortReason(port: number): string {
  return `port ${port} is refused by Node's fetch, whatever listens there (the Fetch standard's blocked ports: ${FETCH_REFUSED_PORTS.join(", ")}); use another port`;
}
