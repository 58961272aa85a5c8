export {
  DEMO_ENV_VARS,
  DEMO_PROXIES,
  type DemoShop,
  type DemoShopOptions,
  type FaultProxyServer,
  startDemoShop,
} from "./launcher.js";
