import { describe, expect, it } from "vitest";
import { FETCH_REFUSED_PORTS, fetchRefusedPort } from "../../src/model/fetch-ports.js";
import { firedrill } from "../support/cli.js";

/** Asks this Node's fetch itself: it refuses a blocked port before connecting, as "bad port". */
async function refusedByFetch(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    return false;
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return cause?.message === "bad port";
  }
}

describe("ports Node's fetch refuses", () => {
  it("are the ones this Node's fetch refuses, and their neighbours are not", async () => {
    const listed = new Set(FETCH_REFUSED_PORTS);
    const neighbours = [...new Set(FETCH_REFUSED_PORTS.flatMap((p) => [p - 1, p + 1]))].filter(
      (p) => p > 0 && !listed.has(p),
    );
    const refused = await Promise.all(FETCH_REFUSED_PORTS.map(refusedByFetch));
    expect(FETCH_REFUSED_PORTS.filter((_, i) => !refused[i])).toEqual([]);
    const others = await Promise.all(neighbours.map(refusedByFetch));
    expect(neighbours.filter((_, i) => others[i])).toEqual([]);
  });

  it("are found in URLs, the scheme's default port included", () => {
    expect(fetchRefusedPort("http://127.0.0.1:9")).toBe(9);
    expect(fetchRefusedPort("http://127.0.0.1:6667/x")).toBe(6667);
    expect(fetchRefusedPort("http://127.0.0.1:8474")).toBeUndefined();
    expect(fetchRefusedPort("http://127.0.0.1")).toBeUndefined();
    expect(fetchRefusedPort("not a url")).toBeUndefined();
  });

  it("run --url and cleanup --url name the refused port instead of fetch's 'bad port'", async () => {
    const run = await firedrill([
      "run",
      "checkout-db-latency",
      "--mode",
      "gameday",
      "--auto",
      "--url",
      "http://127.0.0.1:9",
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("toxiproxyUrl: port 9 is refused by Node's fetch");
    expect(run.stderr).toContain("6665, 6666");
    expect(run.stderr).not.toMatch(/: bad port/);
    const cleanup = await firedrill(["cleanup", "--url", "http://127.0.0.1:9"]);
    const said = cleanup.stdout + cleanup.stderr;
    expect(said).toContain("port 9 is refused by Node's fetch");
    expect(said).not.toMatch(/: bad port/);
  });
});
