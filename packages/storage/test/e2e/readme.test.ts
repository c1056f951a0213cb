// The README's main example runs as written, against the built package, and prints what it says.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

it("the README example runs and prints true, then the size and the volume count", () => {
  const readme = readFileSync(join(pkg, "README.md"), "utf8");
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeDefined();
  // Inside the package folder, "@dms/storage" resolves to the package itself (its exports map).
  const file = join(pkg, `.readme-example-${process.pid}.mjs`);
  writeFileSync(file, code as string);
  try {
    const r = spawnSync(process.execPath, [file], { cwd: pkg, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("true\n8 1\n");
  } finally {
    rmSync(file, { force: true });
  }
});
