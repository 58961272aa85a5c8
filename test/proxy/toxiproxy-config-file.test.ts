import { describe, expect, it } from "vitest";
import { toxiproxyConfig } from "../../src/model/toxiproxy-config-file.js";
import { parseToxiproxyConfig } from "../../src/proxy/toxiproxy-config.js";

// A file written for toxiproxy-server: an extra key, a listen address without a host.
const WRITTEN_FOR_TOXIPROXY = `[
  {"name": "redis cache", "listen": ":26379", "upstream": "redis:6379", "comment": "x"},
  {"name": "db", "upstream": "127.0.0.1:5432", "enabled": false}
]
`;

describe("the Toxiproxy config schema", () => {
  it("lenient (firedrill proxy --config) reads what toxiproxy-server reads", () => {
    expect(parseToxiproxyConfig(WRITTEN_FOR_TOXIPROXY, "t.json")).toEqual([
      { name: "redis cache", listen: ":26379", upstream: "redis:6379" },
      { name: "db", upstream: "127.0.0.1:5432", enabled: false },
    ]);
  });

  it("strict (a scenario's proxies file) refuses the same file", () => {
    const result = toxiproxyConfig("strict").safeParse(JSON.parse(WRITTEN_FOR_TOXIPROXY));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(
      expect.arrayContaining(["0.name", "0"]),
    );
  });

  it("lenient still names the proxy, its position and the field", () => {
    const bad = (text: string) => {
      try {
        parseToxiproxyConfig(text, "t.json");
      } catch (error) {
        return (error as Error).message;
      }
      return "accepted";
    };
    expect(bad('[\n  {"name": "x", "upstream": "127.0.0.1:1"},\n  {"name": 5}\n]')).toBe(
      "t.json:3:3: proxy 2: field name must be a string",
    );
    expect(bad('[{"name": "x"}]')).toBe(
      "t.json:1:2: proxy 1: field upstream is required (host:port)",
    );
    expect(bad('[{"name": "x", "upstream": "h:1", "enabled": "yes"}]')).toBe(
      "t.json:1:2: proxy 1: field enabled must be true or false",
    );
    expect(bad("[1]")).toBe(
      "t.json:1:1: proxy 1: expected an object with name, listen, upstream, enabled",
    );
    expect(bad('{"name": "x"}')).toMatch(/^t\.json:1:1: expected an array of proxies like \[/);
    expect(bad('[{"name": "x",')).toMatch(/^t\.json:1:15: invalid JSON: /);
  });
});
