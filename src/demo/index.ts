export { type DemoMonitoring, findOnPath, startDemoMonitoring } from "./demo-monitoring.js";
export {
  DEMO_ENV_VARS,
  DEMO_PROXIES,
  type DemoShop,
  type DemoShopOptions,
  type FaultProxyServer,
  type ShopProgress,
  startDemoShop,
} from "./launcher.js";
export { progressLine, readyLine } from "./progress.js";
export { monitoringEnv, monitorShop } from "./shop-monitoring.js";
