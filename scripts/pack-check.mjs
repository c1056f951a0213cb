#!/usr/bin/env node
// Proves a package installs and works alone: pack it (and the workspace packages it depends on, as the
// registry would serve them) with pnpm, install the tarballs into an empty folder with npm, then run the
// package's smoke.mjs there, which imports it by name and calls one function.
// Run from a package folder (turbo's `pack-check` task); writes .pack-check.json for scripts/test.mjs.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pnpm, root } from "./pnpm.mjs";

const readJson = (f) => JSON.parse(readFileSync(f, "utf8"));

function workspaceDirs() {
  const map = new Map();
  for (const d of readdirSync(join(root, "packages"))) {
    try {
      map.set(readJson(join(root, "packages", d, "package.json")).name, join(root, "packages", d));
    } catch {}
  }
  return map;
}

/** The package dir and every workspace package it depends on at runtime, transitively. */
function closure(dir, dirs, seen = new Set()) {
  if (seen.has(dir)) return seen;
  seen.add(dir);
  const deps = readJson(join(dir, "package.json")).dependencies ?? {};
  for (const [name, range] of Object.entries(deps)) {
    if (String(range).startsWith("workspace:")) closure(dirs.get(name), dirs, seen);
  }
  return seen;
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const pkgDir = resolve(".");
const name = readJson(join(pkgDir, "package.json")).name;
const work = mkdtempSync(join(tmpdir(), "dms-pack-"));
let ok = false;
try {
  const tarballs = [];
  for (const dir of closure(pkgDir, workspaceDirs())) {
    const dest = mkdtempSync(join(work, "tgz-"));
    if (pnpm(["pack", "--pack-destination", dest], { cwd: dir, stdio: "ignore" }) !== 0) {
      throw new Error(`pnpm pack failed in ${dir}`);
    }
    tarballs.push(...readdirSync(dest).map((f) => join(dest, f)));
  }
  const app = join(work, "app");
  run("mkdir", ["-p", app], work);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs], app);
  copyFileSync(join(pkgDir, "smoke.mjs"), join(app, "smoke.mjs"));
  const out = run("node", ["smoke.mjs"], app);
  console.log(`pack-check ${name}: installed alone from its tarball; smoke: ${out.trim()}`);
  ok = true;
} catch (e) {
  console.error(`pack-check ${name}: FAILED\n${e.message}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
writeFileSync(join(pkgDir, ".pack-check.json"), JSON.stringify({ passed: ok ? 1 : 0, failed: ok ? 0 : 1 }));
process.exit(ok ? 0 : 1);
