// Packs a workspace package and the workspace packages it depends on at runtime, as the registry would
// serve them: what pack-check installs into an empty folder, and what `npm run install-into` installs
// into a user's project.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pnpm, root } from "./pnpm.mjs";

const readJson = (f) => JSON.parse(readFileSync(f, "utf8"));

/** Every workspace package: name → folder. */
export function workspaceDirs() {
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

/** Packs `pkgDir` and its workspace dependencies (built already) into folders under `work`; returns the tarballs. */
export function packWithDeps(pkgDir, work) {
  const tarballs = [];
  for (const dir of closure(pkgDir, workspaceDirs())) {
    const dest = mkdtempSync(join(work, "tgz-"));
    if (pnpm(["pack", "--pack-destination", dest], { cwd: dir, stdio: "ignore" }) !== 0) {
      throw new Error(`pnpm pack failed in ${dir}`);
    }
    tarballs.push(...readdirSync(dest).map((f) => join(dest, f)));
  }
  return tarballs;
}
