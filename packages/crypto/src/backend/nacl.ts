// tweetnacl (the portable backend's X25519), loaded on first use. It is CommonJS, and an ES import of
// it made Node translate it through the ESM loader, which cost about 10 MiB of resident memory in
// every process that imported @dms/crypto (52 MiB against 42 MiB with require, measured on Node 20),
// whether or not the portable backend ever ran. Where process.getBuiltinModule exists (Node ≥ 20.16,
// Bun, Deno) it is required on first use; elsewhere (browsers) the portable entry loads it with a
// dynamic import before anything can use it.
import type * as NodeModule from "node:module";
import type Tweetnacl from "tweetnacl";

type Nacl = typeof Tweetnacl;
type GetBuiltin = (id: string) => unknown;

let nacl: Nacl | undefined;

function nodeModule(): typeof NodeModule | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process;
  return proc?.getBuiltinModule?.("node:module") as typeof NodeModule | undefined;
}

/** True when {@link getNacl} can load tweetnacl synchronously, without {@link loadNacl}. */
export function canRequireNacl(): boolean {
  return nacl !== undefined || nodeModule() !== undefined;
}

/** Loads tweetnacl with a dynamic import (for runtimes without `require`). */
export async function loadNacl(): Promise<void> {
  if (nacl !== undefined) return;
  const m = (await import("tweetnacl")) as { default?: Nacl } & Nacl;
  nacl = m.default ?? m;
}

/** tweetnacl, required on first use. @throws Error where it cannot be required and was not loaded. */
export function getNacl(): Nacl {
  if (nacl !== undefined) return nacl;
  const mod = nodeModule();
  if (mod === undefined)
    throw new Error("tweetnacl is not loaded; import @dms/crypto/portable, which loads it");
  nacl = mod.createRequire(import.meta.url)("tweetnacl") as Nacl;
  return nacl;
}
