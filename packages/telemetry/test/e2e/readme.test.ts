// The README's example runs as written, against the built package.
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { runReadmeExamples } from "../../../../scripts/readme-examples.mjs";

it("the README example runs against the built package and gives the levels it says", () => {
  const r = runReadmeExamples({
    pkgDir: join(dirname(fileURLToPath(import.meta.url)), "..", ".."),
    replace: [
      ['parseObservabilityLevel("WARN"); // 4', 'console.log(parseObservabilityLevel("WARN"));'],
      ['parseObservabilityLevel("warn"); // 3', 'console.log(parseObservabilityLevel("warn")); // 3'],
    ],
  });
  rmSync(r.work, { recursive: true, force: true });
  expect(r.blocks).toBe(1);
  expect(r.status).toBe(0);
  expect(r.stdout).toBe("4\n3\n");
});
