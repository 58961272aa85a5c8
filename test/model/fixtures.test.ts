import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/model/catalog.js";
import { loadRunbook, loadScenario } from "../../src/model/load.js";
import { formatProblem } from "../../src/model/problem.js";

const DIR = "fixtures/invalid";
const NO_ENV = { env: {} };

async function problemsOf(name: string): Promise<string[]> {
  const file = `${DIR}/${name}`;
  const result = name.startsWith("runbook-")
    ? await loadRunbook(file, NO_ENV)
    : await loadScenario(file, NO_ENV);
  expect(result.ok).toBe(false);
  return result.problems.map(formatProblem);
}

const TOXICS = "latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, noop";

// Each invalid fixture and exactly what a user reads: file:line:col, field path, message.
const CASES: Record<string, string[]> = {
  "malformed.yaml": [
    "malformed.yaml:3:1: invalid YAML: flow sequence in block collection must be sufficiently indented and end with a ]",
  ],
  "tabs.yaml": ["tabs.yaml:3:1: tabs are not allowed as indentation in YAML; indent with spaces"],
  "duplicate-key.yaml": [
    'duplicate-key.yaml:3:1: duplicate key "title"; each key may appear only once in a mapping',
  ],
  "empty.yaml": [
    "empty.yaml:1:1: file is empty; expected a scenario (id, title, service, targets, briefing, faults, …)",
  ],
  "comment-only.yaml": [
    "comment-only.yaml:1:1: file is empty; expected a scenario (id, title, service, targets, briefing, faults, …)",
  ],
  "wrong-type.yaml": [
    'wrong-type.yaml:13:15: faults[0].toxicity: expected a number, got the text "high"',
    'wrong-type.yaml:14:8: modes: expected a list, got the text "tabletop"',
  ],
  "unknown-key.yaml": [
    'unknown-key.yaml:15:5: probes[0].evry: unknown key "evry"; did you mean "every"?; valid keys: name, http, tcp, command, prometheus, every, timeout',
  ],
  "bad-duration.yaml": [
    'bad-duration.yaml:13:9: faults[0].at: "5 seconds" is not a duration such as 250ms, 90s, 2m, 1h or 1m30s',
  ],
  "negative-attribute.yaml": [
    "negative-attribute.yaml:14:16: faults[0].attributes.latency: must be 0 or more (ms), got -100",
  ],
  "out-of-range.yaml": ["out-of-range.yaml:13:15: faults[0].toxicity: must be 1 or less, got 1.5"],
  "unknown-toxic.yaml": [
    `unknown-toxic.yaml:12:12: faults[0].toxic: unknown toxic "latancy"; did you mean "latency"?; valid toxics: ${TOXICS}`,
  ],
  "unknown-attribute.yaml": [
    'unknown-attribute.yaml:14:7: faults[0].attributes.rates: unknown key "rates"; did you mean "rate"?; valid keys: rate',
  ],
  "down-branch.yaml": [
    'down-branch.yaml:12:11: faults[0].down: must be true, got the text "yes"',
    'down-branch.yaml:13:5: faults[0].stream: "stream" does not belong with down: yes; valid keys: at, duration, name, proxy, down',
  ],
  "no-fault-kind.yaml": [
    'no-fault-kind.yaml:11:5: faults[0]: needs one of the keys "toxic", "down" or "command"',
  ],
  "unresolved-proxy.yaml": [
    'unresolved-proxy.yaml:11:12: faults[0].proxy: proxy "dbb" does not exist; did you mean "db"?; defined: db',
  ],
  "unresolved-probe.yaml": [
    'unresolved-probe.yaml:17:11: probes[1].name: duplicate probe name "health" (first defined at line 14); probe names must be unique',
    'unresolved-probe.yaml:21:10: recovery.probe: probe "helth" does not exist; did you mean "health"?; defined: health',
    'unresolved-probe.yaml:24:14: safety.stopWhen[0].probe: probe "ready" does not exist; defined: health',
  ],
  "bad-regex.yaml": [
    'bad-regex.yaml:13:20: probes[0].http.bodyMatches: "status: (ok" is not a valid regular expression: missing closing ): `status: (ok` (RE2 syntax: no lookahead, lookbehind or backreferences, so matching takes linear time)',
    'bad-regex.yaml:17:22: probes[1].command.outputMatches: "(?=ok)" is not a valid regular expression: invalid or unsupported Perl syntax: `(?=` (RE2 syntax: no lookahead, lookbehind or backreferences, so matching takes linear time)',
  ],
  "limits.yaml": [
    'limits.yaml:8:9: faults[0].at: "600h" is longer than 24h, the longest duration firedrill accepts',
    "limits.yaml:10:9: faults[1].at: 20m is after safety.maxDuration (10m): the drill ends before this fault; move it earlier or raise maxDuration (at most 24h)",
    "limits.yaml:13:9: signals[0].at: 11m is after safety.maxDuration (10m): the drill ends before this signal; move it earlier or raise maxDuration (at most 24h)",
    "limits.yaml:17:12: hints[0].after: 12m is after safety.maxDuration (10m): the drill ends before this hint; move it earlier or raise maxDuration (at most 24h)",
    "limits.yaml:21:12: probes[0].every: 0ms is too short: use 100ms or more (a probe checks at most ten times a second)",
  ],
  "max-duration.yaml": [
    'max-duration.yaml:11:16: safety.maxDuration: "600h" is longer than 24h, the longest duration firedrill accepts',
  ],
  "one-pass.yaml": [
    'one-pass.yaml:8:12: faults[0].proxy: proxy "edge" does not exist; none are defined',
    'one-pass.yaml:10:15: faults[0].toxicity: expected a number, got the text "high"',
    'one-pass.yaml:16:10: recovery.probe: probe "edg" does not exist; did you mean "edge"?; defined: edge',
  ],
  "env-unset.yaml": [
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the message shows the YAML syntax
    "env-unset.yaml:16:12: probes[0].http.url: environment variable FIXTURE_UNSET_HOST is not set; set it or give a default: ${FIXTURE_UNSET_HOST:-value}",
  ],
  "proxies-file.yaml": [
    'toxiproxy-bad.json:3:22: [1].listn: unknown key "listn"; did you mean "listen"?; valid keys: name, listen, upstream, enabled',
    'toxiproxy-bad.json:3:62: [1].upstream: "localhost" is not valid: use host:port, e.g. 127.0.0.1:5432',
  ],
  "bad-monitoring.yaml": [
    "bad-monitoring.yaml:13:14: signals[0].alertmanager.match: name at least one label, e.g. alertname",
    "bad-monitoring.yaml:16:7: signals[1].prometheus: a query needs exactly one of above or below",
    "bad-monitoring.yaml:20:7: signals[2].prometheus: above/below go with query, not alert",
    "bad-monitoring.yaml:23:5: signals[3].at: a scripted signal needs `at` (or give alertmanager or prometheus)",
    'bad-monitoring.yaml:27:12: signals[4].prometheus.url: "not a url" is not a URL such as http://127.0.0.1:18080/health',
    'bad-monitoring.yaml:29:17: signals[4].prometheus.tokenEnv: "prom-token" is not valid: the name of an environment variable, e.g. PROM_TOKEN',
    'bad-monitoring.yaml:30:23: signals[4].expect.within: "soon" is not a duration such as 250ms, 90s, 2m, 1h or 1m30s',
    "bad-monitoring.yaml:34:7: probes[0].prometheus: give exactly one of above or below",
  ],
  "runbook-duplicate-ids.yaml": [
    'runbook-duplicate-ids.yaml:8:15: procedures[0].steps[1].id: duplicate step id "look" (first defined at line 7); step ids must be unique',
    'runbook-duplicate-ids.yaml:9:9: procedures[1].id: duplicate procedure id "slow-db" (first defined at line 4); procedure ids must be unique',
  ],
  "runbook-bad-kind.md": [
    'runbook-bad-kind.md:8:3: procedures[0].steps[0].kind: "chek" is not valid; did you mean "check"?; use one of: check, action, verify, rollback, escalate',
    "runbook-bad-kind.md:9:3: procedures[0].steps[1].kind: a step starts with its kind in brackets: - [check|action|verify|rollback|escalate] Title",
    'runbook-bad-kind.md:10:18: procedures[0].steps[2]: unknown step attribute "retries=3"; valid: #id, .optional, timeout=<duration>',
  ],
  "runbook-markdown-schema.md": [
    `runbook-markdown-schema.md:2:10: service: "Fixture Service" is not valid: use lower-case letters, digits, '.', '_' or '-' (e.g. db-latency)`,
    "runbook-markdown-schema.md:5:12: escalation[0].level: must be 1 or more, got 0",
    'runbook-markdown-schema.md:11:16: procedures[0].steps[0].timeout: "forever" is not a duration such as 250ms, 90s, 2m, 1h or 1m30s',
  ],
};

describe("invalid fixtures report file:line:col, field and what is valid", () => {
  for (const [name, expected] of Object.entries(CASES)) {
    it(name, async () => {
      expect(await problemsOf(name)).toEqual(expected.map((line) => `${DIR}/${line}`));
    });
  }
});

describe("cross-file references", () => {
  it("points at the referencing node of each scenario", async () => {
    const catalog = await loadCatalog([`${DIR}/references`], NO_ENV);
    const at = `${DIR}/references/scenarios`;
    expect(catalog.problems.map(formatProblem)).toEqual([
      `${at}/bad-procedure.yaml:6:12: procedure: procedure "slow_db" does not exist in the runbook of fixture-svc; did you mean "slow-db"?; defined: slow-db`,
      `${at}/bad-service.yaml:3:10: service: no runbook for service "fixture-svcs"; did you mean "fixture-svc"?; runbooks exist for: fixture-svc`,
      `${at}/bad-steps.yaml:12:5: tabletop.outcomes.lok: step "lok" does not exist in procedure slow-db; did you mean "look"?; defined: look, act`,
      `${at}/bad-steps.yaml:13:21: tabletop.resolvedBy[1]: step "fix" does not exist in procedure slow-db; defined: look, act`,
      `${at}/duplicate-id.yaml:1:5: id: duplicate scenario id "bad-steps" (also ${at}/bad-steps.yaml:1); scenario ids must be unique`,
    ]);
    expect(catalog.problems.every((p) => p.severity === "error")).toBe(true);
  });

  it("a missing file is one problem at 1:1, not an exception", async () => {
    const result = await loadScenario(`${DIR}/does-not-exist.yaml`);
    expect(result.problems.map(formatProblem)).toEqual([
      `${DIR}/does-not-exist.yaml:1:1: cannot read: file not found`,
    ]);
  });
});
