// The STREAM payload engine (c2sp.org/age, Payload). Pure: it works on byte chunks and knows
// nothing of Web or Node streams, files, headers or keys other than the payload key.
import type { Backend } from "../backend/select.js";
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
 * Opens one chunk, returning its plaintext only if it authenticates as chunk `counter` with the
 * given final flag and has a legal size.
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
  if (sealed.length < TAG_SIZE) payloadError("chunk shorter than its tag");
  if (final ? sealed.length > SEALED_CHUNK_SIZE : sealed.length !== SEALED_CHUNK_SIZE) {
    payloadError("chunk has the wrong size");
  }
  const plain = backend.open(payloadKey, chunkNonce(counter, final), sealed);
  if (plain === null)
    payloadError(final ? "final chunk failed authentication" : "chunk failed authentication");
  if (final && plain.length === 0 && counter !== 0) payloadError("empty final chunk after data");
  return plain;
}

/**
 * Incremental encryptor: feed plaintext of any split with {@link push}, then {@link finish}.
 * A full chunk is held back until more data arrives, because only then is it known not to be
 * the final one (a 64 KiB file is exactly one final chunk).
 */
export class ChunkSealer {
  private readonly pending = new Uint8Array(CHUNK_SIZE);
  private fill = 0;
  private counter = 0;
  private done = false;

  constructor(
    private readonly backend: Backend,
    private readonly key: Uint8Array,
  ) {}

  /** Plaintext bytes consumed so far. */
  get bytesIn(): number {
    return this.counter * CHUNK_SIZE + this.fill;
  }

  /**
   * Accepts plaintext; returns the output that became ready (possibly none), each sealed chunk
   * as two arrays (ciphertext, tag) to be written in order.
   */
  push(data: Uint8Array): Uint8Array[] {
    if (this.done) throw new RangeError("push after finish");
    const out: Uint8Array[] = [];
    let d = data;
    while (d.length > 0) {
      if (this.fill === CHUNK_SIZE) {
        out.push(...sealChunkParts(this.backend, this.key, this.counter++, false, this.pending));
        this.fill = 0;
      }
      if (this.fill === 0 && d.length > CHUNK_SIZE) {
        // Seal straight from the caller's buffer: no copy on the bulk path.
        out.push(...sealChunkParts(this.backend, this.key, this.counter++, false, d.subarray(0, CHUNK_SIZE)));
        d = d.subarray(CHUNK_SIZE);
        continue;
      }
      const n = Math.min(CHUNK_SIZE - this.fill, d.length);
      this.pending.set(d.subarray(0, n), this.fill);
      this.fill += n;
      d = d.subarray(n);
    }
    return out;
  }

  /** Seals the final chunk (ciphertext, tag). */
  finish(): Uint8Array[] {
    if (this.done) throw new RangeError("finish called twice");
    this.done = true;
    return sealChunkParts(this.backend, this.key, this.counter++, true, this.pending.subarray(0, this.fill));
  }
}

/**
 * Incremental decryptor of the sealed chunks that follow the payload nonce. Releases a chunk's
 * plaintext as soon as it authenticates. A full-size chunk is first tried as non-final, then as
 * final (a 64 KiB final chunk is legal); after a final chunk any further byte is an error, and
 * at end of input a final chunk must have been seen.
 */
export class ChunkOpener {
  private readonly pending = new Uint8Array(SEALED_CHUNK_SIZE);
  private fill = 0;
  private counter = 0;
  private sawFinal = false;
  private done = false;
  private failed = false;

  constructor(
    private readonly backend: Backend,
    private readonly key: Uint8Array,
  ) {}

  private fail(what: string): never {
    this.failed = true;
    return payloadError(what);
  }

  private openFull(sealed: Uint8Array): Uint8Array {
    const nonFinal = this.backend.open(this.key, chunkNonce(this.counter, false), sealed);
    if (nonFinal !== null) {
      this.counter++;
      return nonFinal;
    }
    const final = this.backend.open(this.key, chunkNonce(this.counter, true), sealed);
    if (final === null) this.fail("chunk failed authentication");
    this.counter++;
    this.sawFinal = true;
    return final;
  }

  /**
   * Accepts sealed bytes; appends the plaintext of chunks that authenticated to `out` and returns
   * it. When it throws, `out` still holds exactly the chunks that authenticated before the failure.
   */
  push(data: Uint8Array, out: Uint8Array[] = []): Uint8Array[] {
    if (this.done || this.failed) throw new RangeError("push after finish or failure");
    let d = data;
    while (d.length > 0) {
      if (this.sawFinal) this.fail("data after the final chunk");
      if (this.fill === 0 && d.length >= SEALED_CHUNK_SIZE) {
        out.push(this.openFull(d.subarray(0, SEALED_CHUNK_SIZE)));
        d = d.subarray(SEALED_CHUNK_SIZE);
        continue;
      }
      const n = Math.min(SEALED_CHUNK_SIZE - this.fill, d.length);
      this.pending.set(d.subarray(0, n), this.fill);
      this.fill += n;
      d = d.subarray(n);
      if (this.fill === SEALED_CHUNK_SIZE) {
        out.push(this.openFull(this.pending));
        this.fill = 0;
      }
    }
    return out;
  }

  /**
   * Ends the input: opens the remaining short chunk as final, or checks a final chunk was seen.
   *
   * @throws AgeError ERR_AGE_PAYLOAD if there is no valid final chunk (truncation, trailing data).
   */
  finish(): Uint8Array {
    if (this.done || this.failed) throw new RangeError("finish after finish or failure");
    this.done = true;
    if (this.sawFinal) return new Uint8Array(0);
    if (this.fill === 0) this.fail(this.counter === 0 ? "payload has no chunks" : "final chunk is missing");
    try {
      return openChunk(this.backend, this.key, this.counter++, true, this.pending.subarray(0, this.fill));
    } catch (e) {
      this.failed = true;
      throw e;
    }
  }
}
