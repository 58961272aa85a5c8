import {
  apiUrl,
  getMonitoringJson,
  MonitoringError,
  type MonitoringRequest,
} from "./monitoring-http.js";

type Connection = Omit<MonitoringRequest, "path">;

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  /** when the alert started firing (ISO time), as Prometheus told Alertmanager */
  startsAt: string;
  fingerprint: string;
}

/** A label matcher of Alertmanager's filter syntax: `name="value"`, the value escaped. */
function matcher(name: string, value: string): string {
  return `${name}=${JSON.stringify(value)}`;
}

/**
 * `GET /api/v2/alerts`: the active alerts that are neither silenced nor inhibited (the ones that
 * page people) carrying every label of `match`. The filter is applied by Alertmanager and again
 * here, so an older server that ignores part of it cannot widen the answer.
 */
export async function alertmanagerAlerts(
  connection: Connection,
  match: Readonly<Record<string, string>>,
): Promise<AlertmanagerAlert[]> {
  const params = new URLSearchParams({ active: "true", silenced: "false", inhibited: "false" });
  for (const [name, value] of Object.entries(match)) params.append("filter", matcher(name, value));
  const path = `/api/v2/alerts?${params}`;
  const json = await getMonitoringJson({ ...connection, path });
  if (!Array.isArray(json)) {
    throw new MonitoringError(
      apiUrl(connection.baseUrl, path),
      "the answer is not a list of alerts",
    );
  }
  return (json as Record<string, unknown>[])
    .map((a) => ({
      labels: (a.labels ?? {}) as Record<string, string>,
      startsAt: String(a.startsAt ?? ""),
      fingerprint: String(a.fingerprint ?? ""),
      state: ((a.status ?? {}) as { state?: string }).state,
    }))
    .filter((a) => a.state === undefined || a.state === "active")
    .filter((a) => Object.entries(match).every(([name, value]) => a.labels[name] === value))
    .map(({ state: _state, ...alert }) => alert);
}
