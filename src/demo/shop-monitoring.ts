import { messageOf } from "../model/message.js";
import {
  type DemoMonitoring,
  MONITORING_INSTALL_HINT,
  startDemoMonitoring,
} from "./demo-monitoring.js";
import type { DemoShop } from "./launcher.js";

/**
 * Where the demo's Prometheus and Alertmanager are, for the samples to interpolate: passed as an
 * explicit env with the shop's ports, never written into process.env.
 */
export function monitoringEnv(monitoring: DemoMonitoring | null): Record<string, string> {
  if (!monitoring) return {};
  return {
    FIREDRILL_PROMETHEUS_URL: monitoring.prometheusUrl,
    ...(monitoring.alertmanagerUrl
      ? { FIREDRILL_ALERTMANAGER_URL: monitoring.alertmanagerUrl }
      : {}),
  };
}

/**
 * Prometheus and Alertmanager for a running shop, said in one line either way: where they are,
 * or how to install them. Never fails the demo: without them it goes on as before (see
 * monitoringEnv for how the samples find them).
 */
export async function monitorShop(
  shop: DemoShop,
  configDir: string,
  say: (line: string) => void,
  log?: (line: string) => void,
): Promise<DemoMonitoring | null> {
  let monitoring: DemoMonitoring | null;
  try {
    monitoring = await startDemoMonitoring({
      configDir,
      targets: shop.services.map(({ name, port }) => ({ name, port })),
      ...(log ? { log } : {}),
    });
  } catch (error) {
    say(`monitoring: could not start (${messageOf(error)}); the demo goes on without real alerts`);
    return null;
  }
  if (!monitoring) {
    say(
      `monitoring: Prometheus is not on PATH, so the demo goes on without real alerts (to see them: ${MONITORING_INSTALL_HINT})`,
    );
    return null;
  }
  const alertmanager = monitoring.alertmanagerUrl
    ? `, Alertmanager ${monitoring.alertmanagerUrl}`
    : " (no Alertmanager on PATH: apt-get install prometheus-alertmanager)";
  say(
    `monitoring: Prometheus ${monitoring.prometheusUrl}${alertmanager}, scraping ${shop.services.length} shop processes`,
  );
  return monitoring;
}
