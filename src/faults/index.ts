export { createFaultBackend } from "./backend.js";
export type {
  AppliedFault,
  CreatedProxy,
  DrillFaultBackend,
  FaultBackend,
  FaultBackendKind,
  FaultBackendOptions,
  RevertFailure,
  RevertRecipe,
  RevertReport,
} from "./fault-types.js";
export { faultLabel, isCommandFault, isDownFault, isToxicFault, usesToxiproxy } from "./label.js";
export {
  defaultLedgerPath,
  type LedgerFile,
  readLedger,
  removeLedger,
  writeLedger,
} from "./ledger.js";
export {
  CLAIM_PREFIX,
  CREATED_MARKER_PREFIX,
  claimedProxy,
  claimName,
  createdMarkerName,
  isCreatedMarker,
  isFiredrillToxic,
  TOXIC_PREFIX,
  toxicName,
} from "./naming.js";
export { executeRecipe } from "./recipes.js";
export {
  type AllowListInput,
  checkAllowList,
  checkConfiguredUrl,
  checkToxiproxyUrl,
  hostMatches,
  looksLikeProduction,
  type Refusal,
} from "./safety/allow-list.js";
export {
  describeLeftovers,
  findLeftovers,
  hasLeftovers,
  type LeftoverProxy,
  type Leftovers,
  type LeftoverToxic,
} from "./safety/leftovers.js";
export {
  type PreflightCheck,
  type PreflightInput,
  type PreflightReport,
  runPreflight,
} from "./safety/preflight.js";
export {
  type PreparedProxies,
  PrepareRefusal,
  proxiesOf,
} from "./safety/prepare.js";
export {
  DEFAULT_TOXIPROXY_URL,
  ToxiproxyApi,
  ToxiproxyApiError,
  toxiproxyUrl,
} from "./toxiproxy-api.js";
export {
  isAlive,
  revertLedgerFile,
  startWatchdog,
  type WatchdogHandle,
  type WatchdogOptions,
  watchdogScript,
} from "./watchdog.js";
