// How firedrill's code is bundled: the CLI (scripts/build.mjs) and the TUI bench
// (bench/tui/run.ts), which must measure what ships.
export const bundleOptions = {
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
  logLevel: "warning",
};
