// tweetnacl, the portable backend's X25519. It is CommonJS, and an ES import of it makes Node
// translate it through the ESM loader, which cost about 10 MiB of resident memory in every process
// that imported @dms/crypto (52 MiB against 42 MiB with require, measured on Node 20), whether or not
// the portable backend ever ran. So the Node entry requires it on first use (process.getBuiltinModule
// exists on Node ≥ 20.16, Bun and Deno), and the portable entry, which bundlers turn into browser code,
// imports it statically and hands it over with provideNacl: no top-level await, so the portable entry
// also bundles as a classic script.
import type * as NodeModule from "node:module";
import type Tweetnacl from "tweetnacl";

type Nacl = typeof Tweetnacl;
type GetBuiltin = (id: string) => unknown;

let nacl: Nacl | undefined;

/** Gives the backend tweetnacl where it cannot be required (the portable entry does this). */
export function provideNacl(n: Nacl): void {
  nacl ??= n;
}

/** tweetnacl, required on first use. @throws Error where it cannot be required and was not provided. */
export function getNacl(): Nacl {
  if (nacl !== undefined) return nacl;
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process;
  const mod = proc?.getBuiltinModule?.("node:module") as typeof NodeModule | undefined;
  if (mod === undefined)
    throw new Error("tweetnacl is not loaded; import @dms/crypto/portable, which provides it");
  nacl = mod.createRequire(import.meta.url)("tweetnacl") as Nacl;
  return nacl;
}
