import { z } from "zod";
import { Command, HostPort, Id } from "./common.js";
import { Duration, ProbeInterval } from "./duration.js";
import { Pattern } from "./pattern.js";
import { NAME_PATTERN, STREAMS, TOXIC_ATTRIBUTES, TOXIC_TYPES, type ToxicType } from "./toxics.js";

export const MODES = ["tabletop", "gameday"] as const;
export type Mode = (typeof MODES)[number];
export const SEVERITIES = ["sev1", "sev2", "sev3", "sev4", "sev5"] as const;
export const SIGNAL_KINDS = ["alert", "log", "metric"] as const;

const ProxyName = z.string().regex(NAME_PATTERN, "use letters, digits, '.', '_' or '-'");

export const ProxySpec = z.strictObject({
  name: ProxyName,
  listen: HostPort.optional().meta({
    description: "where the proxy listens; omitted: a free port on 127.0.0.1",
  }),
  upstream: HostPort,
  enabled: z.boolean().default(true),
});

/**
 * `proxies: { file: toxiproxy.json }`: the proxies of a Toxiproxy JSON config (the file
 * `toxiproxy-server -config` reads), relative to the scenario. The loader replaces it with the
 * file's proxies before validation, so a parsed scenario always holds a list.
 */
export const ProxiesFile = z.strictObject({
  file: z.string().min(1).meta({
    description:
      "a Toxiproxy JSON config (array of {name, listen, upstream, enabled}), relative to this file",
  }),
});

/** A scenario's proxy may live on its own Toxiproxy server (staging often runs one per host). */
export const ScenarioProxy = ProxySpec.extend({
  toxiproxy: z
    .url({ protocol: /^https?$/, error: "must be an http URL, e.g. http://toxiproxy.db:8474" })
    .optional()
    .meta({
      description:
        "the Toxiproxy API this proxy lives on; omitted: --url, else TOXIPROXY_URL, else the config's toxiproxyUrl",
    }),
});
export type ProxySpec = z.infer<typeof ScenarioProxy>;

function attributesFor(type: ToxicType) {
  const shape: Record<string, z.ZodOptional<z.ZodNumber>> = {};
  for (const [name, spec] of Object.entries(TOXIC_ATTRIBUTES[type])) {
    shape[name] = z
      .number()
      .int(`must be a whole number of ${spec.unit}`)
      .nonnegative(`must be 0 or more (${spec.unit})`)
      .optional()
      .meta({ description: `${spec.description} (${spec.unit})` });
  }
  return z.strictObject(shape).default({});
}

const faultBase = {
  at: Duration.default(0).meta({ description: "when to inject, from the drill start" }),
  duration: Duration.optional().meta({
    description: "revert after this long; omitted: until the drill ends",
  }),
  name: z.string().optional(),
};

function toxicFault<T extends ToxicType>(type: T) {
  return z.strictObject({
    ...faultBase,
    proxy: ProxyName,
    toxic: z.literal(type),
    stream: z.enum(STREAMS).default("downstream"),
    toxicity: z.number().min(0).max(1).default(1),
    attributes: attributesFor(type),
  });
}

export const ToxicFault = z.discriminatedUnion(
  "toxic",
  TOXIC_TYPES.map((type) => toxicFault(type)) as unknown as [
    ReturnType<typeof toxicFault<"latency">>,
    ...ReturnType<typeof toxicFault<ToxicType>>[],
  ],
);

export const DownFault = z.strictObject({
  ...faultBase,
  proxy: ProxyName,
  down: z.literal(true),
});

export const CommandFault = z.strictObject({
  ...faultBase,
  command: z.strictObject({
    inject: Command,
    revert: Command,
    shell: z.boolean().default(false),
    timeout: Duration.default(30_000),
  }),
});

export const Fault = z.union([ToxicFault, DownFault, CommandFault]);
export type Fault = z.infer<typeof Fault>;
export type ToxicFault = z.infer<typeof ToxicFault>;
export type DownFault = z.infer<typeof DownFault>;
export type CommandFault = z.infer<typeof CommandFault>;

/** The name of an environment variable holding a bearer token: the token itself never is in a file. */
const TokenEnv = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "the name of an environment variable, e.g. PROM_TOKEN")
  .meta({ description: "environment variable holding a bearer token for this server" });

const Threshold = z.number().meta({ description: "the limit the query's value is compared with" });

/** Alerts that page people: `GET /api/v2/alerts` (active, not silenced, not inhibited). */
export const AlertmanagerSource = z.strictObject({
  url: z.url().meta({ description: "Alertmanager's base URL, e.g. http://alertmanager:9093" }),
  match: z
    .record(z.string(), z.string())
    .refine((m) => Object.keys(m).length > 0, "name at least one label, e.g. alertname")
    .meta({ description: "labels the alert must carry, e.g. { alertname: CheckoutLatencyHigh }" }),
  tokenEnv: TokenEnv.optional(),
});
export type AlertmanagerSource = z.infer<typeof AlertmanagerSource>;

/**
 * Prometheus: a firing alert of that name (`GET /api/v1/alerts`), or a PromQL query whose value
 * crosses a limit (`above` or `below`).
 */
export const PrometheusSource = z
  .strictObject({
    url: z.url().meta({ description: "Prometheus's base URL, e.g. http://prometheus:9090" }),
    alert: z.string().min(1).optional().meta({ description: "an alerting rule's name" }),
    query: z.string().min(1).optional().meta({ description: "a PromQL instant query" }),
    above: Threshold.optional(),
    below: Threshold.optional(),
    tokenEnv: TokenEnv.optional(),
  })
  .superRefine((p, ctx) => {
    if ((p.alert === undefined) === (p.query === undefined)) {
      ctx.addIssue({ code: "custom", message: "give exactly one of alert or query" });
    } else if (p.query !== undefined && (p.above === undefined) === (p.below === undefined)) {
      ctx.addIssue({ code: "custom", message: "a query needs exactly one of above or below" });
    } else if (p.alert !== undefined && (p.above !== undefined || p.below !== undefined)) {
      ctx.addIssue({ code: "custom", message: "above/below go with query, not alert" });
    }
  });
export type PrometheusSource = z.infer<typeof PrometheusSource>;

/** A query compared with a limit: what a `prometheus` probe and a query signal check. */
export const PrometheusQuery = z
  .strictObject({
    url: z.url().meta({ description: "Prometheus's base URL, e.g. http://prometheus:9090" }),
    query: z.string().min(1).meta({ description: "a PromQL instant query" }),
    above: Threshold.optional().meta({ description: "the probe fails when the value is above" }),
    below: Threshold.optional().meta({ description: "the probe fails when the value is below" }),
    tokenEnv: TokenEnv.optional(),
  })
  .refine((p) => (p.above === undefined) !== (p.below === undefined), {
    message: "give exactly one of above or below",
  });

export const Signal = z
  .strictObject({
    at: Duration.optional().meta({
      description:
        "when the scripted signal shows, from the drill start; a monitoring signal shows at `at` only in tabletop",
    }),
    kind: z.enum(SIGNAL_KINDS).default("alert"),
    text: z.string().min(1),
    /**
     * Gameday: shown when this probe's result matches (and no earlier than `at`), so an alert never
     * fires for a fault that had no effect. Tabletop ignores it: `at` alone decides.
     */
    when: z
      .strictObject({ probe: Id, failing: z.boolean().default(true) })
      .optional()
      .meta({
        description:
          "gameday: show the signal only once this probe fails (failing: true) or passes, not before `at`",
      }),
    alertmanager: AlertmanagerSource.optional().meta({
      description: "gameday: shown when Alertmanager has a matching active alert",
    }),
    prometheus: PrometheusSource.optional().meta({
      description: "gameday: shown when the alert fires or the query crosses its limit",
    }),
    every: ProbeInterval.default(1000).meta({
      description: "how often a monitoring signal is polled",
    }),
    expect: z
      .strictObject({
        within: Duration.meta({ description: "from the first fault applied" }),
      })
      .optional()
      .meta({
        description:
          "a monitoring signal that has not fired this long after the fault is a detection gap",
      }),
  })
  .superRefine((s, ctx) => {
    const sources = [s.alertmanager, s.prometheus].filter(Boolean).length;
    if (sources > 1) {
      ctx.addIssue({ code: "custom", message: "give one of alertmanager or prometheus, not both" });
    }
    if (sources === 0 && s.at === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["at"],
        message: "a scripted signal needs `at` (or give alertmanager or prometheus)",
      });
    }
    if (sources === 0 && s.expect !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["expect"],
        message: "expect goes with a monitoring signal (alertmanager or prometheus)",
      });
    }
    if (sources > 0 && s.when !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["when"],
        message: "when goes with a scripted signal: a monitoring signal shows when it fires",
      });
    }
  });
export type Signal = z.infer<typeof Signal>;

export const HttpProbe = z.strictObject({
  url: z.url(),
  method: z.enum(["GET", "HEAD", "POST"]).default("GET"),
  expectStatus: z.union([z.number().int(), z.array(z.number().int()).min(1)]).default(200),
  bodyMatches: Pattern.optional().meta({ description: "a regular expression the body must match" }),
  maxLatency: Duration.optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

export const TcpProbe = z.strictObject({
  address: HostPort,
  maxLatency: Duration.optional(),
});

export const CommandProbe = z.strictObject({
  run: Command,
  shell: z.boolean().default(false),
  expectExit: z.number().int().default(0),
  outputMatches: Pattern.optional().meta({
    description: "a regular expression stdout must match",
  }),
});

export const Probe = z
  .strictObject({
    name: Id,
    http: HttpProbe.optional(),
    tcp: TcpProbe.optional(),
    command: CommandProbe.optional(),
    prometheus: PrometheusQuery.optional().meta({
      description: "fails when the query's value crosses its limit, or returns no data",
    }),
    every: ProbeInterval.default(1000),
    timeout: Duration.default(2000),
  })
  .refine((p) => [p.http, p.tcp, p.command, p.prometheus].filter(Boolean).length === 1, {
    message: "a probe needs exactly one of http, tcp, command or prometheus",
  });
export type Probe = z.infer<typeof Probe>;

export const Hint = z.strictObject({
  after: Duration.default(0),
  cost: z.number().int().min(0).max(100).default(5),
  text: z.string().min(1),
});
export type Hint = z.infer<typeof Hint>;

export const StopCondition = z.strictObject({
  probe: Id,
  failures: z
    .number()
    .int()
    .min(1)
    .default(3)
    .meta({ description: "consecutive failures that halt the drill" }),
});

export const Scenario = z.strictObject({
  id: Id,
  title: z.string().min(1),
  service: Id,
  severity: z.enum(SEVERITIES).default("sev3"),
  modes: z.array(z.enum(MODES)).min(1).default(["tabletop", "gameday"]),
  tags: z.array(z.string()).default([]),
  targets: z.strictObject({
    ttr: Duration,
    ttd: Duration.optional(),
    tta: Duration.optional(),
    ttm: Duration.optional(),
  }),
  briefing: z.string().min(1),
  proxies: z
    .union([z.array(ScenarioProxy), ProxiesFile])
    .default([])
    .transform((value, ctx) => {
      if (Array.isArray(value)) return value;
      ctx.addIssue({
        code: "custom",
        message: `proxies file "${value.file}" is only read by the scenario loader (loadScenario)`,
      });
      return z.NEVER;
    }),
  faults: z.array(Fault).min(1),
  signals: z.array(Signal).default([]),
  probes: z.array(Probe).default([]),
  recovery: z
    .strictObject({ probe: Id, consecutive: z.number().int().min(1).default(3) })
    .optional(),
  procedure: Id.optional().meta({
    description: "the runbook procedure the responder is expected to follow",
  }),
  hints: z.array(Hint).default([]),
  tabletop: z
    .strictObject({
      outcomes: z.record(z.string(), z.string()).default({}),
      resolvedBy: z.array(Id).default([]),
    })
    .default({ outcomes: {}, resolvedBy: [] }),
  safety: z
    .strictObject({
      maxDuration: Duration.default(30 * 60_000),
      allowHosts: z.array(z.string()).default([]),
      stopWhen: z.array(StopCondition).default([]),
    })
    .default({ maxDuration: 30 * 60_000, allowHosts: [], stopWhen: [] }),
});
export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;

/** Whether a signal comes from the team's monitoring rather than the scenario's clock. */
export function isMonitoringSignal(signal: Signal): boolean {
  return signal.alertmanager !== undefined || signal.prometheus !== undefined;
}
