import { AgeError } from "../errors.js";
import { CHUNK_SIZE, NONCE_SIZE, SEALED_CHUNK_SIZE, TAG_SIZE } from "./incremental.js";

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
  const chunks = plaintextBytes === 0 ? 1 : Math.ceil(plaintextBytes / CHUNK_SIZE);
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
