#!/usr/bin/env node
// Proves a package installs and works alone: pack it (and the workspace packages it depends on, as the
// registry would serve them) with pnpm, install the tarballs into an empty folder with npm, then run the
// package's smoke.mjs there, which imports it by name and calls one function.
// Run from a package folder (turbo's `pack-check` task); writes .pack-check.json for scripts/test.mjs.
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { root } from "./pnpm.mjs";
import { packWithDeps } from "./tarballs.mjs";

const readJson = (f) => JSON.parse(readFileSync(f, "utf8"));

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * Type-checks a consumer of the installed package under the strictest settings a user may have
 * (exactOptionalPropertyTypes, noUncheckedIndexedAccess, skipLibCheck false): the package's own
 * consumer.ts when it has one, else a file that imports everything.
 */
function typecheckConsumer(app) {
  const own = join(pkgDir, "consumer.ts");
  const code = existsSync(own)
    ? readFileSync(own, "utf8")
    : `import * as pkg from "${name}";\nexport const names: string[] = Object.keys(pkg);\n`;
  writeFileSync(join(app, "consumer.ts"), code);
  const compilerOptions = {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: false,
    noEmit: true,
    target: "ES2023",
    lib: ["ES2023", "DOM"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    types: ["node"],
    typeRoots: [join(root, "node_modules", "@types")],
  };
  writeFileSync(join(app, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["consumer.ts"] }));
  run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], app);
}

const pkgDir = resolve(".");
const name = readJson(join(pkgDir, "package.json")).name;
const work = mkdtempSync(join(tmpdir(), "dms-pack-"));
let ok = false;
try {
  const tarballs = packWithDeps(pkgDir, work);
  const app = join(work, "app");
  run("mkdir", ["-p", app], work);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs], app);
  copyFileSync(join(pkgDir, "smoke.mjs"), join(app, "smoke.mjs"));
  const out = run("node", ["smoke.mjs"], app);
  typecheckConsumer(app);
  // Source maps would point at sources the tarball does not ship.
  const maps = readdirSync(join(app, "node_modules", name), { recursive: true }).filter((f) =>
    String(f).endsWith(".map"),
  );
  if (maps.length > 0)
    throw new Error(`the tarball ships source maps without their sources: ${maps.join(", ")}`);
  console.log(`pack-check ${name}: installed alone from its tarball; smoke: ${out.trim()}; strict types: ok`);
  ok = true;
} catch (e) {
  console.error(`pack-check ${name}: FAILED\n${e.message}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
writeFileSync(join(pkgDir, ".pack-check.json"), JSON.stringify({ passed: ok ? 1 : 0, failed: ok ? 0 : 1 }));
process.exit(ok ? 0 : 1);
