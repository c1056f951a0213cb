// node:crypto has no update-into: every chunk sealed or opened is a fresh 64 KiB buffer, freed
// only when V8 collects, and V8 lets ~64 MiB of such external memory pile up before it does (a
// third of a 1 GiB S3 pull's peak RSS). Where the host exposes gc (`node --expose-gc`; the dms
// command does for its S3 transfers and folder encryption), a young-generation collection every
// few MiB of output keeps that garbage small; elsewhere nothing changes.

/** Output bytes between two collections. */
export const PACE_BYTES = 8 * 1024 * 1024;

type Gc = (o?: { type?: "minor" | "major" }) => void;

let since = 0;

/**
 * Counts `n` bytes of fresh garbage-to-be (cipher output; the stream paths also count the
 * buffers they copy and drop); collects young garbage every {@link PACE_BYTES}.
 */
export function madeGarbage(n: number): void {
  since += n;
  if (since < PACE_BYTES) return;
  since = 0;
  const gc = (globalThis as { gc?: Gc }).gc;
  if (typeof gc === "function") gc({ type: "minor" });
}
