// The README's example runs as written, against the built package.
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { runReadmeExamples } from "../../../../scripts/readme-examples.mjs";

it("the README example runs against the built package", () => {
  const r = runReadmeExamples({
    pkgDir: join(dirname(fileURLToPath(import.meta.url)), "..", ".."),
    // What the example says it gives, printed so the test can hold it to that.
    replace: [
      [
        'parseGPUVendor("Intel Corporation"); // "Intel"',
        'console.log(parseGPUVendor("Intel Corporation"));',
      ],
    ],
  });
  rmSync(r.work, { recursive: true, force: true });
  expect(r.blocks).toBe(1);
  expect(r.stderr).toBe("");
  expect(r.stdout).toBe("Intel\n");
  expect(r.status).toBe(0);
});
