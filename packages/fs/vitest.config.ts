import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // test/e2e runs dist/ in child processes: build it first when run outside turbo.
    globalSetup: ["../../scripts/build-first.mjs"],
    reporters: ["default", "json"],
    outputFile: { json: ".test-results.json" },
  },
});
