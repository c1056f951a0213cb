// Runs of consecutive STREAM chunks sealed or opened in one call: the unit of work handed to a
// worker thread. Pure, and built on chunk.ts's rules: counters and final flags follow from the position.
import type { Backend } from "../backend/types.js";
import { concatBytes } from "../format/bytes.js";
import {
  CHUNK_SIZE,
  chunkCount,
  missingFinal,
  openFullChunk,
  SEALED_CHUNK_SIZE,
  sealChunkParts,
  tryOpenChunk,
} from "./chunk.js";

/**
 * Seals `plain` as chunks `counter`, `counter + 1`, ...: ciphertext and tag of each, in order, as
 * the backend made them (no copy). Without `last` the input must be whole chunks; with `last` the
 * final chunk is the (possibly short or empty) remainder.
 *
 * @throws RangeError when the sizes break the chunk rules.
 */
export function sealBatchParts(
  backend: Backend,
  key: Uint8Array,
  counter: number,
  last: boolean,
  plain: Uint8Array,
): Uint8Array[] {
  const n = plain.length;
  const chunks = last ? chunkCount(n) : n / CHUNK_SIZE;
  if (!Number.isInteger(chunks)) throw new RangeError(`plain: ${n} bytes is not a whole number of chunks`);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < chunks; i++) {
    const p = plain.subarray(i * CHUNK_SIZE, Math.min(n, (i + 1) * CHUNK_SIZE));
    parts.push(...sealChunkParts(backend, key, counter + i, last && i === chunks - 1, p));
  }
  return parts;
}

/** {@link sealBatchParts} into one array (what a worker transfers back). */
export function sealBatch(
  backend: Backend,
  key: Uint8Array,
  counter: number,
  last: boolean,
  plain: Uint8Array,
): Uint8Array {
  return concatBytes(sealBatchParts(backend, key, counter, last, plain));
}

/** What {@link openBatch} authenticated: the plaintext of `chunks` chunks, then maybe a failure. */
export interface OpenedBatch {
  plain: Uint8Array;
  chunks: number;
  /** Set when a chunk failed or the chunk sequence is wrong; `plain` is what came before. */
  error?: string | undefined;
}

/** {@link OpenedBatch} with the plaintext as one part per chunk, as the backend made them. */
export interface OpenedParts {
  parts: Uint8Array[];
  error?: string | undefined;
}

/** {@link openBatchParts} with the plaintext in one array. */
export function openBatch(
  backend: Backend,
  key: Uint8Array,
  counter: number,
  end: boolean,
  sealed: Uint8Array,
): OpenedBatch {
  const r = openBatchParts(backend, key, counter, end, sealed);
  const plain = concatBytes(r.parts);
  return r.error === undefined
    ? { plain, chunks: r.parts.length }
    : { plain, chunks: r.parts.length, error: r.error };
}

/**
 * Opens sealed chunks from `counter` on, with the rules of {@link ChunkOpener}: a full chunk is
 * tried as non-final then final, a short one only as final; a final chunk must be the last
 * chunk of the whole payload (`end`), and at the end one must have been seen. On failure the
 * result holds exactly the plaintext of the chunks that authenticated before it.
 */
export function openBatchParts(
  backend: Backend,
  key: Uint8Array,
  counter: number,
  end: boolean,
  sealed: Uint8Array,
): OpenedParts {
  const parts: Uint8Array[] = [];
  const done = (error?: string): OpenedParts => (error === undefined ? { parts } : { parts, error });
  let pos = 0;
  if (end && sealed.length === 0) return done(missingFinal(counter));
  while (pos < sealed.length) {
    const len = Math.min(SEALED_CHUNK_SIZE, sealed.length - pos);
    const c = sealed.subarray(pos, pos + len);
    const index = counter + parts.length;
    let final = true;
    let p: Uint8Array;
    if (len === SEALED_CHUNK_SIZE) {
      const r = openFullChunk(backend, key, index, c);
      if (r === null) return done("chunk failed authentication");
      p = r.plain;
      final = r.final;
    } else {
      // Only the payload's last bytes can form a short chunk, and it must be final.
      if (!end) return done("chunk has the wrong size");
      const r = tryOpenChunk(backend, key, index, true, c);
      if (typeof r === "string") return done(r);
      p = r;
    }
    parts.push(p);
    pos += len;
    if (final && (pos < sealed.length || !end)) return done("data after the final chunk");
    if (!final && pos === sealed.length && end) return done("final chunk is missing");
  }
  return done();
}
