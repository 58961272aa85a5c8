// Bundles the CLI with esbuild: unbundled, `import('ink')` alone costs ~850 ms of module
// loading, which blows the first-frame budget. tsc stays the type checker (npm test).
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * `import { z } from "zod"` is a namespace, so the bundle kept every zod locale (358 KB of 734 KB)
 * although only English is ever used: compiling them cost each command ~7 ms at start.
 */
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(build) {
    const en = fileURLToPath(new URL("../node_modules/zod/v4/locales/en.js", import.meta.url));
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes("/node_modules/zod/")
        ? { path: "zod-locales", namespace: "zod-en" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-en" }, () => ({
      contents: `export { default as en } from ${JSON.stringify(en)};`,
      resolveDir: process.cwd(),
    }));
  },
};

const watch = process.argv.includes("--watch");
const options = {
  entryPoints: {
    firedrill: "src/cli/main.ts",
    "demo-service": "src/demo/service-main.ts",
    // the drill's fault watchdog runs detached from the CLI, so it needs its own entry
    watchdog: "src/faults/watchdog-main.ts",
  },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  jsx: "automatic",
  // React picks its build from NODE_ENV; the development build renders several times slower.
  // Inlined into the bundle only: commands the responder runs never inherit it.
  define: { "process.env.NODE_ENV": '"production"' },
  // ink probes for react-devtools only when DEV=true; never ship it.
  external: ["react-devtools-core"],
  banner: {
    js: [
      "#!/usr/bin/env node",
      "import { createRequire as __firedrillCreateRequire } from 'node:module';",
      "const require = __firedrillCreateRequire(import.meta.url);",
    ].join("\n"),
  },
  // Node 20 has the RegExp `v` flag; without this esbuild rewrites such literals into
  // `new RegExp(…)`, which parses the pattern at load and again at first use.
  supported: { "regexp-set-notation": true },
  plugins: [zodEnglishOnly],
  logLevel: "warning",
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
