import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Some tests run dist/ (child processes, worker threads): build it first when run outside turbo.
    globalSetup: ["../../scripts/build-first.mjs"],
    reporters: ["default", "json"],
    outputFile: { json: ".test-results.json" },
  },
});
