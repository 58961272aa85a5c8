import { defineConfig } from "vitest/config";
import { inkOutputForVite } from "./scripts/ink-output-swap.mjs";

export default defineConfig({
  // ink's frame grid is firedrill's own in the bundle: test that one, not ink's. Redirecting an
  // import inside ink needs ink to go through vite instead of Node ("ink" also matches
  // ink-testing-library, which has to share that one ink).
  plugins: [inkOutputForVite],
  test: {
    include: ["test/**/*.test.{ts,tsx}"],
    globalSetup: ["test/global-setup.ts"],
    env: { FORCE_COLOR: "0", NO_COLOR: "1" },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    server: { deps: { inline: ["ink"] } },
  },
});
