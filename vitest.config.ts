import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.{ts,tsx}"],
    globalSetup: ["test/global-setup.ts"],
    env: { FORCE_COLOR: "0", NO_COLOR: "1" },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
