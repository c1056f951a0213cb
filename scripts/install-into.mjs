#!/usr/bin/env node
// `npm run install-into -- PACKAGE DIR`: builds PACKAGE (crypto, storage, @dms/cli, ...), packs it with
// the workspace packages it needs (they are not on the npm registry) and installs the tarballs into the
// project at DIR with npm, as `npm install @dms/PACKAGE` would from a registry.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pnpm } from "./pnpm.mjs";
import { setup } from "./setup.mjs";
import { packWithDeps, workspaceDirs } from "./tarballs.mjs";

const [wanted, target] = process.argv.slice(2);
const dirs = workspaceDirs();
const name = wanted?.startsWith("@dms/") ? wanted : `@dms/${wanted}`;
if (!wanted || !target || !dirs.has(name)) {
  console.error(`usage: npm run install-into -- PACKAGE DIR   (PACKAGE: ${[...dirs.keys()].join(", ")})`);
  process.exit(2);
}
const dir = resolve(target);
if (!existsSync(join(dir, "package.json"))) {
  console.error(`install-into: ${dir} has no package.json; run npm init there first`);
  process.exit(2);
}
setup();
if (pnpm(["exec", "turbo", "run", "build", `--filter=${name}`]) !== 0) process.exit(1);
const work = mkdtempSync(join(tmpdir(), "dms-install-"));
try {
  const r = spawnSync("npm", ["install", "--no-audit", "--no-fund", ...packWithDeps(dirs.get(name), work)], {
    cwd: dir,
    stdio: "inherit",
  });
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
