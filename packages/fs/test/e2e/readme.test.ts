// The README's example runs as written, against the built package, and leaves the file it promises:
// the content written, and a new file's mode 0666 less the umask (the child inherits ours).
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { runReadmeExamples } from "../../../../scripts/readme-examples.mjs";

it("the README example writes report.age whole, with 0666 less the umask", () => {
  const r = runReadmeExamples({
    pkgDir: join(dirname(fileURLToPath(import.meta.url)), "..", ".."),
    prelude: 'const [header, body] = [new TextEncoder().encode("head "), new TextEncoder().encode("body")];',
  });
  try {
    expect(r.blocks).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(readFileSync(join(r.work, "report.age"), "utf8")).toBe("head body");
    expect(readdirSync(r.work)).toEqual(["report.age"]); // no temp file left
    const umask = process.umask();
    expect(statSync(join(r.work, "report.age")).mode & 0o777).toBe(0o666 & ~umask);
  } finally {
    rmSync(r.work, { recursive: true, force: true });
  }
});
