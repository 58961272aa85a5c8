// `npm run bench [area...]`: runs each bench/<area>/run.ts in its own process, one after the other
// (never in parallel: they measure the same two cores). Builds the CLI bundle first.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

const wanted = process.argv.slice(2);
const areas = readdirSync(new URL(".", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(`bench/${entry.name}/run.ts`))
  .map((entry) => entry.name)
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

if (areas.length === 0) {
  console.error(`bench: nothing to run${wanted.length ? ` for ${wanted.join(", ")}` : ""}`);
  process.exit(2);
}

spawnSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
let failed = 0;
for (const area of areas) {
  console.log(`\n=== bench/${area}`);
  const result = spawnSync("npx", ["tsx", `bench/${area}/run.ts`], { stdio: "inherit" });
  if (result.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
