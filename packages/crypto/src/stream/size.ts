// Size arithmetic of age files, on chunk.ts's framing: whole-file sizes and the chunks a range touches.
import { AgeError, headerError } from "../errors.js";
import { CHUNK_SIZE, chunkCount, NONCE_SIZE, SEALED_CHUNK_SIZE, TAG_SIZE } from "./chunk.js";

function checkCount(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`${name}: expected a non-negative safe integer, got ${n}`);
}

/**
 * Exact size of a binary (not armored) age file: header + 16-byte nonce + sealed chunks.
 *
 * @throws RangeError for a negative or non-integer argument.
 * @example
 * ```ts
 * ciphertextSize(0, 200); // 232: an empty file is one empty final chunk
 * ```
 */
export function ciphertextSize(plaintextBytes: number, headerBytes: number): number {
  checkCount("plaintextBytes", plaintextBytes);
  checkCount("headerBytes", headerBytes);
  const chunks = chunkCount(plaintextBytes);
  return headerBytes + NONCE_SIZE + plaintextBytes + chunks * TAG_SIZE;
}

/**
 * Exact plaintext size for a payload of `payloadBytes` (the bytes after the header, including the
 * 16-byte nonce). This trusts the length; only decryption authenticates it.
 *
 * @throws AgeError ERR_AGE_PAYLOAD when no valid age payload has that length; RangeError for a
 * negative or non-integer argument.
 */
export function plaintextSize(payloadBytes: number): number {
  checkCount("payloadBytes", payloadBytes);
  const impossible = (): never => {
    throw new AgeError(
      "ERR_AGE_PAYLOAD",
      `age payload: no valid payload is ${payloadBytes} bytes long; the file is truncated or has trailing data`,
    );
  };
  const sealed = payloadBytes - NONCE_SIZE;
  if (sealed < TAG_SIZE) impossible();
  const full = Math.floor(sealed / SEALED_CHUNK_SIZE);
  const rest = sealed % SEALED_CHUNK_SIZE;
  if (rest === 0) return full * CHUNK_SIZE;
  // A final chunk needs its tag, and may be empty only when it is the only chunk.
  if (rest < TAG_SIZE || (rest === TAG_SIZE && full > 0)) impossible();
  return full * CHUNK_SIZE + rest - TAG_SIZE;
}

/** Where chunk `i` of a payload lies and how many there are; pure arithmetic. */
export interface PayloadLayout {
  /** Number of chunks (1 for the empty file). */
  chunks: number;
  plaintextBytes: number;
}

/**
 * The chunk layout of a binary payload of `payloadBytes` (bytes after the header, nonce
 * included).
 *
 * @throws AgeError ERR_AGE_HEADER when the nonce is missing or short; ERR_AGE_PAYLOAD when no
 * valid payload has that length (for instance a file cut right after the nonce).
 */
export function payloadLayout(payloadBytes: number): PayloadLayout {
  if (!Number.isSafeInteger(payloadBytes) || payloadBytes < 0) {
    throw new RangeError(`payloadBytes: expected a non-negative safe integer, got ${payloadBytes}`);
  }
  // c2sp.org/age: a missing or short nonce is a header failure, not a payload one.
  if (payloadBytes < NONCE_SIZE) headerError("payload nonce is missing or short");
  const plaintextBytes = plaintextSize(payloadBytes);
  return { chunks: chunkCount(plaintextBytes), plaintextBytes };
}

/** The chunks a plaintext range touches, as `[first, last]` inclusive; null for an empty range. */
export function chunkSpan(offset: number, length: number, size: number): [number, number] | null {
  const end = Math.min(offset + length, size);
  if (length === 0 || offset >= end) return null;
  return [Math.floor(offset / CHUNK_SIZE), Math.floor((end - 1) / CHUNK_SIZE)];
}
