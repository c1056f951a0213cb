// Vectored writes that may stop short or find a non-blocking pipe full, shared by the one-thread
// descriptor engine (fs/fd.ts) and the two threads of workers/duo.ts, which differ only in how
// they wait. Pure: the caller passes the write (writevSync on its descriptor).

/** Yielded when a write must wait a moment (a full non-blocking pipe): the caller pauses ~1 ms. */
export const PAUSE = -1;

/**
 * Writes every part with `writev` (which returns the bytes it wrote), in order, continuing after
 * short writes; yields {@link PAUSE} where it threw EAGAIN (a non-blocking pipe whose reader is
 * behind), for the caller to wait before it resumes. Other errors are thrown as raised.
 */
export function* writeSteps(
  writev: (parts: Uint8Array[]) => number,
  parts: readonly Uint8Array[],
): Generator<typeof PAUSE, void, void> {
  let rest = parts.filter((p) => p.length > 0);
  while (rest.length > 0) {
    let n: number;
    try {
      n = writev(rest);
    } catch (e) {
      if ((e as { code?: unknown } | null)?.code !== "EAGAIN") throw e;
      yield PAUSE;
      continue;
    }
    let i = 0;
    while (i < rest.length && n >= (rest[i] as Uint8Array).length) n -= (rest[i++] as Uint8Array).length;
    rest = rest.slice(i);
    if (n > 0) rest[0] = (rest[0] as Uint8Array).subarray(n);
  }
}
