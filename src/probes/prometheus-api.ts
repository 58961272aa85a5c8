import {
  apiUrl,
  getMonitoringJson,
  MonitoringError,
  type MonitoringRequest,
} from "./monitoring-http.js";

type Connection = Omit<MonitoringRequest, "path">;

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface PrometheusAlert {
  labels: Record<string, string>;
  state: "pending" | "firing" | "inactive";
  /** when the rule's condition first held (ISO time), as Prometheus reports it */
  activeAt: string | null;
  value: number;
}

interface Envelope {
  status?: string;
  error?: string;
  data?: unknown;
}

async function data(connection: Connection, path: string): Promise<unknown> {
  const envelope = ((await getMonitoringJson({ ...connection, path })) ?? {}) as Envelope;
  if (envelope.status !== "success") {
    const why = envelope.error ?? "the answer is not a Prometheus API answer";
    throw new MonitoringError(apiUrl(connection.baseUrl, path), why);
  }
  return envelope.data;
}

/** `GET /api/v1/query`: an instant query; a scalar comes back as one sample without labels. */
export async function prometheusQuery(connection: Connection, query: string): Promise<Sample[]> {
  const path = `/api/v1/query?query=${encodeURIComponent(query)}`;
  const found = (await data(connection, path)) as {
    resultType?: string;
    result?: unknown;
  };
  if (found?.resultType === "scalar") {
    const [, value] = (found.result ?? []) as [number, string];
    return [{ labels: {}, value: Number(value) }];
  }
  if (found?.resultType !== "vector") {
    const what = `"${query}" gives a ${found?.resultType ?? "?"}, not an instant vector or scalar`;
    throw new MonitoringError(apiUrl(connection.baseUrl, path), what);
  }
  return ((found.result ?? []) as { metric?: Record<string, string>; value?: [number, string] }[])
    .filter((r) => Array.isArray(r.value))
    .map((r) => ({ labels: r.metric ?? {}, value: Number(r.value?.[1]) }));
}

/** `GET /api/v1/alerts`: every pending and firing alert of every rule. */
export async function prometheusAlerts(connection: Connection): Promise<PrometheusAlert[]> {
  const found = await data(connection, "/api/v1/alerts");
  const alerts = ((found ?? {}) as { alerts?: unknown[] }).alerts ?? [];
  return (alerts as Record<string, unknown>[]).map((a) => ({
    labels: (a.labels ?? {}) as Record<string, string>,
    state: a.state as PrometheusAlert["state"],
    activeAt: typeof a.activeAt === "string" ? a.activeAt : null,
    value: Number(a.value),
  }));
}
