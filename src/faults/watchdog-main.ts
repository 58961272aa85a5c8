// Entry point of the watchdog process (bundled as dist/watchdog.js); see watchdog.ts.
import { parseArgs } from "node:util";
import { watch, watchdogLogger } from "./watchdog.js";

const { values } = parseArgs({
  options: {
    parent: { type: "string" },
    ledger: { type: "string" },
    interval: { type: "string", default: "200" },
  },
});
const parentPid = Number(values.parent);
if (!values.ledger || !Number.isInteger(parentPid) || parentPid <= 0) {
  process.stderr.write("usage: watchdog.js --parent <pid> --ledger <file> [--interval <ms>]\n");
  process.exit(2);
}
// the drill's terminal may close under us; nothing must kill us before the revert is done
process.on("SIGHUP", () => {});
process.on("SIGINT", () => {});

const report = await watch({
  parentPid,
  ledgerPath: values.ledger,
  intervalMs: Math.max(20, Number(values.interval) || 200),
  log: watchdogLogger(values.ledger),
});
process.exitCode = report && report.failed.length > 0 ? 1 : 0;
