import { createHash } from "node:crypto";
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

/** Writes a small job-like tree with modes, an empty nested folder and a Unicode name. */
export function makeTree(root: string): void {
  mkdirSync(join(root, "data"), { recursive: true });
  mkdirSync(join(root, "results", "plots"), { recursive: true });
  mkdirSync(join(root, "docs"), { recursive: true });
  writeFileSync(join(root, "params.json"), '{"seed": 1}\n');
  const big = Buffer.alloc(300_000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 8)) & 0xff;
  writeFileSync(join(root, "data", "big.bin"), big);
  writeFileSync(join(root, "data", "empty.txt"), "");
  writeFileSync(join(root, "run.sh"), "#!/bin/sh\necho hi\n");
  chmodSync(join(root, "run.sh"), 0o755);
  writeFileSync(join(root, "docs", "résumé-données-🌱.md"), "# notes\n");
  writeFileSync(join(root, "secret.txt"), "only me\n");
  chmodSync(join(root, "secret.txt"), 0o600);
}

/** relative path → "type mode size sha256" for every entry under `root`. */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      const mode = (st.mode & 0o777).toString(8);
      if (st.isDirectory()) {
        out.set(relative(root, p), `dir ${mode}`);
        walk(p);
      } else {
        const sha = createHash("sha256").update(readFileSync(p)).digest("hex");
        out.set(relative(root, p), `file ${mode} ${st.size} ${sha}`);
      }
    }
  };
  walk(root);
  return out;
}
