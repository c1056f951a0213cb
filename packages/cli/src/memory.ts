// @dms/crypto collects its per-chunk cipher garbage every few MiB when the process exposes gc
// (its backend/pace.ts): without that, V8 lets ~64 MiB of dead 64 KiB buffers pile up before it
// collects, a third of a 1 GiB S3 pull's peak memory. The S3 commands and folder encryption expose
// gc (the pattern Node's own tests use), the S3 ones for transfers big enough to need it; a small
// one does not pay the ~3 ms. Folders went from 110-125 to 88-90 MiB in the same time (10 000
// small files and 8 of 16 MiB, 4 runs each). Local files do not: there the peak is ~91 MiB without
// it, and pacing (68-69 MiB) cost encryption ~5% of its time in side-by-side runs (decryption none),
// where speed against age is the target. Extraction gained nothing from it (~120 MiB either way).
const SMALL = 32 * 1024 * 1024;

type GetBuiltin = (id: string) => unknown;

/** Lets the crypto engine collect its garbage during a transfer of `size` bytes (unknown: assume big). */
export function paceMemory(size?: number): void {
  if (size !== undefined && size < SMALL) return;
  const g = globalThis as { gc?: unknown };
  if (typeof g.gc === "function") return;
  const get = process.getBuiltinModule as GetBuiltin;
  const v8 = get("node:v8") as typeof import("node:v8");
  const vm = get("node:vm") as typeof import("node:vm");
  v8.setFlagsFromString("--expose-gc");
  g.gc = vm.runInNewContext("gc");
}
