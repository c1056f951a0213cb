import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Some tests run dist/ (child processes, worker threads): build it first when run outside turbo.
    globalSetup: ["../../scripts/build-first.mjs"],
    reporters: ["default", "json"],
    outputFile: { json: ".test-results.json" },
    // Each test spawns the CLI several times, and scrypt at age's default work factor takes seconds on
    // a loaded 2-core machine; this is a hang guard, not a speed assertion.
    testTimeout: 60_000,
  },
});
