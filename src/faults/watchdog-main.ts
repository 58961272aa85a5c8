// Entry point of the watchdog process (bundled as dist/watchdog.js); see watchdog.ts.
import { parseArgs } from "node:util";
import { watch, watchdogLogger } from "./watchdog.js";

const { values } = parseArgs({
  options: {
    parent: { type: "string" },
    ledger: { type: "string" },
    interval: { type: "string", default: "200" },
    // stdin is a pipe only the drill process writes to: end of file means it died
    pipe: { type: "boolean", default: false },
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

const parentGone = values.pipe
  ? new Promise<void>((resolve) => {
      process.stdin.on("end", resolve);
      process.stdin.on("close", resolve);
      process.stdin.on("error", () => resolve());
      process.stdin.resume();
    })
  : undefined;
const report = await watch({
  parentPid,
  ...(parentGone ? { parentGone } : {}),
  ledgerPath: values.ledger,
  intervalMs: Math.max(20, Number(values.interval) || 200),
  log: watchdogLogger(values.ledger),
});
process.exitCode = report && report.failed.length > 0 ? 1 : 0;
// stdin may still be open (the ledger was removed while the drill lives on): do not wait for it
process.exit();
