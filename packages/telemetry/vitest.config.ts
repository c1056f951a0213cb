import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Seven packages test at once on 2 cores, beside a Ceph gateway: 5 s per test does not hold there.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    include: ["test/**/*.test.ts"],
    // The README test runs dist/ in a child process: build it first when run outside turbo.
    globalSetup: ["../../scripts/build-first.mjs"],
    reporters: ["default", "json"],
    outputFile: { json: ".test-results.json" },
  },
});
