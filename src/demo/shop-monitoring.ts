import { messageOf } from "../model/message.js";
import {
  type DemoMonitoring,
  MONITORING_INSTALL_HINT,
  startDemoMonitoring,
} from "./demo-monitoring.js";
import type { DemoShop } from "./launcher.js";

/** Where the demo's Prometheus and Alertmanager are, for scenarios to interpolate while it runs. */
export const MONITORING_ENV_VARS = [
  "FIREDRILL_PROMETHEUS_URL",
  "FIREDRILL_ALERTMANAGER_URL",
] as const;

/**
 * Prometheus and Alertmanager for a running shop, said in one line either way: where they are,
 * or how to install them. Never fails the demo: without them it goes on as before. The URLs are
 * in process.env until stop (FIREDRILL_PROMETHEUS_URL, FIREDRILL_ALERTMANAGER_URL).
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
  const saved = MONITORING_ENV_VARS.map((name) => [name, process.env[name]] as const);
  process.env.FIREDRILL_PROMETHEUS_URL = monitoring.prometheusUrl;
  if (monitoring.alertmanagerUrl)
    process.env.FIREDRILL_ALERTMANAGER_URL = monitoring.alertmanagerUrl;
  const alertmanager = monitoring.alertmanagerUrl
    ? `, Alertmanager ${monitoring.alertmanagerUrl}`
    : " (no Alertmanager on PATH: apt-get install prometheus-alertmanager)";
  say(
    `monitoring: Prometheus ${monitoring.prometheusUrl}${alertmanager}, scraping ${shop.services.length} shop processes`,
  );
  const stop = monitoring.stop;
  return {
    ...monitoring,
    stop: async () => {
      await stop();
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    },
  };
}
