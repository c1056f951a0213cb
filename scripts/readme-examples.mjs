// Runs the ```ts examples of a package README as written, against the built package, so a README
// that drifts from the API fails `npm test`. Each block runs in its own block scope (names may repeat
// across examples); the blocks' imports are merged at the top (a prelude may import more); `prelude` supplies the
// names an example takes as given (a key, some data). The script sits in the package folder, where
// the package name resolves to the package itself (its exports map), and runs in a fresh temp folder.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * @param {{ pkgDir: string, prelude?: string, replace?: [string, string][] }} o
 * @returns {{ status: number | null, stdout: string, stderr: string, work: string, blocks: number }}
 */
export function runReadmeExamples({ pkgDir, prelude = "", replace = [] }) {
  const readme = readFileSync(join(pkgDir, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  // Imports must be at module level: named ones are merged per module, others kept once each. A name
  // that two modules export (`decrypt` of the main and the portable entry) is imported under an alias
  // for the later module, and the blocks that import it from there rebind it in their own scope.
  const named = new Map();
  const owner = new Map();
  const other = new Set();
  const bodies = blocks.map((b) => {
    const rebind = [];
    let body = b.replace(/^import ([^;]*?) from "([^"]+)";\n/gm, (_, what, from) => {
      const m = /^\{([^}]*)\}$/.exec(what.trim());
      if (!m) other.add(`import ${what} from "${from}";`);
      else {
        const set = named.get(from) ?? new Set();
        for (const n of m[1].split(",").map((x) => x.trim())) {
          if (!n) continue;
          if (!owner.has(n)) owner.set(n, from);
          if (owner.get(n) === from) set.add(n);
          else {
            const alias = `${n}$${[...owner.values()].indexOf(from) + 1}`;
            set.add(`${n} as ${alias}`);
            rebind.push(`const ${n} = ${alias};`);
          }
        }
        named.set(from, set);
      }
      return "";
    });
    for (const [from, to] of replace) body = body.replaceAll(from, to);
    return `{\n${rebind.join("\n")}\n${body}}\n`;
  });
  const imports = [...named].map(([from, set]) => `import { ${[...set].join(", ")} } from "${from}";`);
  const code = `${[...imports, ...other].join("\n")}\n${prelude}\n${bodies.join("")}`;
  const work = mkdtempSync(join(tmpdir(), "dms-readme-"));
  const file = join(pkgDir, `.readme-example-${process.pid}.mjs`);
  writeFileSync(file, code);
  try {
    const r = spawnSync(process.execPath, [file], { cwd: work, encoding: "utf8" });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, work, blocks: blocks.length };
  } finally {
    rmSync(file, { force: true });
  }
}
