// Every framing rule of age's STREAM payload (c2sp.org/age, Payload) in one place: chunk sizes, the
// nonce, sealing and opening one chunk, and which chunk may or must be final. The incremental
// sealer/opener, the worker batches and the size arithmetic are built on these. Pure.
import type { Backend } from "../backend/types.js";
import { payloadError } from "../errors.js";

/** Plaintext bytes per chunk: 64 KiB. */
export const CHUNK_SIZE = 65536;
/** Poly1305 tag bytes. */
export const TAG_SIZE = 16;
/** Bytes of a full sealed chunk. */
export const SEALED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE;
/** Bytes of the random nonce that starts the payload. */
export const NONCE_SIZE = 16;

/** The 12-byte AEAD nonce: 11-byte big-endian counter ‖ final flag (0x01 final, 0x00 otherwise). */
export function chunkNonce(counter: number, final: boolean): Uint8Array {
  if (!Number.isSafeInteger(counter) || counter < 0) {
    throw new RangeError(`counter: expected a non-negative safe integer, got ${counter}`);
  }
  const n = new Uint8Array(12);
  let c = counter;
  for (let i = 10; i >= 4 && c > 0; i--) {
    n[i] = c % 256;
    c = Math.floor(c / 256);
  }
  n[11] = final ? 1 : 0;
  return n;
}

/** payload key = HKDF-SHA-256(ikm = file key, salt = nonce, info = "payload"). */
export function derivePayloadKey(backend: Backend, fileKey: Uint8Array, nonce: Uint8Array): Uint8Array {
  if (nonce.length !== NONCE_SIZE)
    throw new RangeError(`nonce: expected ${NONCE_SIZE} bytes, got ${nonce.length}`);
  return backend.hkdf(fileKey, nonce, "payload", 32);
}

function checkPlainChunk(counter: number, final: boolean, plain: Uint8Array): void {
  if (
    final ? plain.length > CHUNK_SIZE || (plain.length === 0 && counter !== 0) : plain.length !== CHUNK_SIZE
  ) {
    throw new RangeError(`plain: invalid ${final ? "final" : "non-final"} chunk size ${plain.length}`);
  }
}

/**
 * Seals one chunk. A non-final chunk must hold exactly {@link CHUNK_SIZE} bytes; a final chunk
 * 1..CHUNK_SIZE bytes, or 0 only as chunk 0 (the empty file).
 *
 * @throws RangeError when the chunk size breaks those rules.
 */
export function sealChunk(
  backend: Backend,
  payloadKey: Uint8Array,
  counter: number,
  final: boolean,
  plain: Uint8Array,
): Uint8Array {
  checkPlainChunk(counter, final, plain);
  return backend.seal(payloadKey, chunkNonce(counter, final), plain);
}

/** {@link sealChunk} returning ciphertext and tag as two arrays (no copy on the native backend). */
export function sealChunkParts(
  backend: Backend,
  payloadKey: Uint8Array,
  counter: number,
  final: boolean,
  plain: Uint8Array,
): [Uint8Array, Uint8Array] {
  checkPlainChunk(counter, final, plain);
  return backend.sealParts(payloadKey, chunkNonce(counter, final), plain);
}

/**
 * Opens one chunk: its plaintext if it authenticates as chunk `counter` with the given final flag
 * and has a legal size, otherwise the reason it does not (the engines that must not throw, such as
 * the worker batches, report that string).
 */
export function tryOpenChunk(
  backend: Backend,
  payloadKey: Uint8Array,
  counter: number,
  final: boolean,
  sealed: Uint8Array,
): Uint8Array | string {
  if (sealed.length < TAG_SIZE) return "chunk shorter than its tag";
  if (final ? sealed.length > SEALED_CHUNK_SIZE : sealed.length !== SEALED_CHUNK_SIZE) {
    return "chunk has the wrong size";
  }
  const plain = backend.open(payloadKey, chunkNonce(counter, final), sealed);
  if (plain === null) return final ? "final chunk failed authentication" : "chunk failed authentication";
  if (final && plain.length === 0 && counter !== 0) return "empty final chunk after data";
  return plain;
}

/**
 * {@link tryOpenChunk} that throws.
 *
 * @throws AgeError ERR_AGE_PAYLOAD on any failure.
 */
export function openChunk(
  backend: Backend,
  payloadKey: Uint8Array,
  counter: number,
  final: boolean,
  sealed: Uint8Array,
): Uint8Array {
  const r = tryOpenChunk(backend, payloadKey, counter, final, sealed);
  return typeof r === "string" ? payloadError(r) : r;
}

/**
 * Opens a full-size sealed chunk, whose position does not say whether it is final: tried as
 * non-final first, then as final (a 64 KiB final chunk is legal). Returns null when neither
 * authenticates.
 */
export function openFullChunk(
  backend: Backend,
  payloadKey: Uint8Array,
  counter: number,
  sealed: Uint8Array,
): { plain: Uint8Array; final: boolean } | null {
  const nonFinal = backend.open(payloadKey, chunkNonce(counter, false), sealed);
  if (nonFinal !== null) return { plain: nonFinal, final: false };
  const final = backend.open(payloadKey, chunkNonce(counter, true), sealed);
  return final === null ? null : { plain: final, final: true };
}

/** Why a payload that ended after `chunks` chunks with no final chunk is wrong. */
export function missingFinal(chunks: number): string {
  return chunks === 0 ? "payload has no chunks" : "final chunk is missing";
}

/** Chunks of a plaintext of `bytes` bytes (the empty plaintext is one empty final chunk). */
export function chunkCount(bytes: number): number {
  return bytes === 0 ? 1 : Math.ceil(bytes / CHUNK_SIZE);
}
