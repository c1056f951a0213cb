// The README's main example runs as written, against the built package, and prints what it says.
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { runReadmeExamples } from "../../../../scripts/readme-examples.mjs";

it("the README example runs and prints true, then the size and the volume count", () => {
  const r = runReadmeExamples({
    pkgDir: join(dirname(fileURLToPath(import.meta.url)), "..", ".."),
  });
  rmSync(r.work, { recursive: true, force: true });
  expect(r.blocks).toBe(1);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.stdout).toBe("true\n8 1\n");
});
