import {
  type MetricFamily,
  type MetricSample,
  PROMETHEUS_TEXT_TYPE,
  renderPrometheusText,
} from "../model/prom-text.js";

/**
 * The demo shop's own instruments: counters and histograms in memory, written as Prometheus text
 * on `GET /metrics`, so the demo's Prometheus has real figures to alert on.
 */

/** Seconds; a demo request takes about a millisecond unless a fault is on. */
export const LATENCY_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

type Labels = Record<string, string>;

/** The same label set always gives the same key, whatever order the caller wrote it in. */
function keyOf(labels: Labels): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );
}

export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = keyOf(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels: { ...labels }, value: by });
  }

  family(): MetricFamily {
    const samples = [...this.values.values()].map((e) => ({
      suffix: "_total",
      labels: e.labels,
      value: e.value,
    }));
    return { name: this.name, help: this.help, type: "counter", samples };
  }
}

export class Histogram {
  private readonly series = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[] = LATENCY_BUCKETS,
  ) {}

  observe(labels: Labels, value: number): void {
    const key = keyOf(labels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels: { ...labels }, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    // cumulative buckets are summed when written; here each observation lands in its first bucket
    const index = this.buckets.findIndex((le) => value <= le);
    if (index >= 0) entry.counts[index] = (entry.counts[index] ?? 0) + 1;
    entry.sum += value;
    entry.count += 1;
  }

  family(): MetricFamily {
    const samples: MetricSample[] = [];
    for (const { labels, counts, sum, count } of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += counts[i] ?? 0;
        samples.push({
          suffix: "_bucket",
          labels: { ...labels, le: String(le) },
          value: cumulative,
        });
      });
      samples.push({ suffix: "_bucket", labels: { ...labels, le: "+Inf" }, value: count });
      samples.push({ suffix: "_sum", labels, value: sum });
      samples.push({ suffix: "_count", labels, value: count });
    }
    return { name: this.name, help: this.help, type: "histogram", samples };
  }
}

export class Gauge {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => number,
  ) {}

  family(): MetricFamily {
    return {
      name: this.name,
      help: this.help,
      type: "gauge",
      samples: [{ labels: {}, value: this.read() }],
    };
  }
}

export type Instrument = Counter | Histogram | Gauge;

/** The body and content type of a `/metrics` answer. */
export function metricsText(instruments: readonly Instrument[]): { type: string; body: string } {
  return {
    type: PROMETHEUS_TEXT_TYPE,
    body: renderPrometheusText(instruments.map((i) => i.family())),
  };
}

/**
 * An HTTP service's request instruments: `shop_http_requests_total` and
 * `shop_http_request_duration_seconds`, by route (known routes only, the rest `other`, so a
 * scanner cannot grow the series without bound), method and status code.
 */
export class HttpMetrics {
  readonly requests = new Counter(
    "shop_http_requests",
    "HTTP requests answered, by route, method and status code.",
  );
  readonly duration = new Histogram(
    "shop_http_request_duration_seconds",
    "Time to answer an HTTP request, by route.",
  );
  constructor(private readonly routes: readonly string[]) {}

  /** Starts timing a request; call the result with the status code once it is answered. */
  start(method: string, path: string): (status: number) => void {
    const started = performance.now();
    const route = this.routes.includes(path) ? path : "other";
    const verb = ["GET", "POST", "HEAD"].includes(method) ? method : "other";
    return (status) => {
      this.requests.inc({ route, method: verb, code: String(status) });
      this.duration.observe({ route }, (performance.now() - started) / 1000);
    };
  }

  instruments(): Instrument[] {
    return [this.requests, this.duration];
  }
}
