#!/usr/bin/env node
// Installs the workspace's dependencies with the pinned pnpm. Cheap when nothing changed.
import { pnpm } from "./pnpm.mjs";

export function setup() {
  const args = ["install", "--reporter=append-only"];
  if (process.env.CI) args.push("--frozen-lockfile");
  const status = pnpm(args);
  if (status !== 0) {
    console.error("setup: pnpm install failed; check the network to the npm registry and rerun");
    process.exit(status);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) setup();
