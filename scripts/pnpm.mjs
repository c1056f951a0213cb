#!/usr/bin/env node
// Runs the pnpm version pinned in package.json through npx, so a fresh clone needs only Node and npm
// (corepack fails on these machines: the registry metadata carries no signatures).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pinned = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).packageManager;

/** Runs pinned pnpm with `args` in `cwd`; returns the exit status. */
export function pnpm(args, { cwd = root, stdio = "inherit", env = process.env } = {}) {
  const quiet = { TURBO_TELEMETRY_DISABLED: "1", TURBO_NO_UPDATE_NOTIFIER: "1", DO_NOT_TRACK: "1" };
  const r = spawnSync("npx", ["--yes", pinned, ...args], { cwd, stdio, env: { ...quiet, ...env } });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exit(pnpm(process.argv.slice(2)));
}
