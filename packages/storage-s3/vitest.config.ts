import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // build-first: the packages this one imports run from their dist/; gateway: a real Ceph RGW.
    globalSetup: ["../../scripts/build-first.mjs", "./test/gateway.ts"],
    // The S3 tests share one gateway; files one after another keep the fault tests apart.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ["default", "json"],
    outputFile: { json: ".test-results.json" },
  },
});
