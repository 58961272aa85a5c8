// Bundles the CLI with esbuild: unbundled, `import('ink')` alone costs ~850 ms of module
// loading, which blows the first-frame budget. tsc stays the type checker (npm test).
import { rmSync } from "node:fs";
import { build } from "esbuild";
import { bundleOptions } from "./bundle-options.mjs";

const watch = process.argv.includes("--watch");
const options = {
  ...bundleOptions,
  entryPoints: {
    firedrill: "src/cli/main.ts",
    "demo-service": "src/demo/service-main.ts",
    // the drill's fault watchdog runs detached from the CLI, so it needs its own entry
    watchdog: "src/faults/watchdog-main.ts",
  },
  outdir: "dist",
};

if (watch) {
  const { context } = await import("esbuild");
  const ctx = await context(options);
  await ctx.watch();
} else {
  // Chunk names carry content hashes: without a clean slate, stale chunks pile up in dist/.
  rmSync("dist", { recursive: true, force: true });
  await build(options);
}
