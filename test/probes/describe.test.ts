import { afterEach, describe, expect, it } from "vitest";
import type { Probe } from "../../src/model/scenario.js";
import { describeProbe } from "../../src/probes/index.js";

const TOKEN = "ghp_describe0123456789abcdefABCDEF";
const saved = process.env.GITHUB_TOKEN;
afterEach(() => {
  if (saved === undefined) delete process.env.GITHUB_TOKEN;
  else process.env.GITHUB_TOKEN = saved;
});

describe("describeProbe", () => {
  it("never shows a credential, so preflight (TUI or headless) cannot print one", () => {
    process.env.GITHUB_TOKEN = TOKEN;
    const http = {
      name: "api",
      http: { method: "GET", url: `http://127.0.0.1:1/h?token=${TOKEN}&api_key=k-123456` },
    } as unknown as Probe;
    expect(describeProbe(http)).toBe(
      "GET http://127.0.0.1:1/h?token=[redacted GITHUB_TOKEN]&api_key=[redacted]",
    );
    const command = {
      name: "db",
      command: { run: ["psql", "postgres://u:pw-123456@db/app", "-c", "select 1"] },
    } as unknown as Probe;
    expect(describeProbe(command)).toBe("run psql postgres://u:[redacted]@db/app -c select 1");
  });
});
