import { execFileSync } from "node:child_process";

// End-to-end tests spawn the bundled CLI, so it must reflect the sources under test.
export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
}
