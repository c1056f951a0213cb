// @dms/crypto collects its per-chunk cipher garbage every few MiB when the process exposes gc
// (its backend/pace.ts): without that, V8 lets ~64 MiB of dead 64 KiB buffers pile up before it
// collects, a third of a 1 GiB S3 pull's peak memory. The dms command exposes gc (the pattern
// Node's own tests use) for transfers big enough to need it; a small one does not pay the ~3 ms.
// The flag is process-wide, so the engine's worker thread, started after, has gc too.
// Measured: folders 110-125 -> 88-90 MiB in the same time; a 1 GiB local file, which runs on two
// threads (each with its garbage), 135 -> 90-95 MiB and faster (0.85 -> 0.78 s encrypting,
// 0.80 -> 0.73 s decrypting, medians of 5 alternated runs, with the bin's malloc settings).
// Extraction gained nothing from it (~120 MiB either way).
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
