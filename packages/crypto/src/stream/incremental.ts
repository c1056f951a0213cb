// Incremental STREAM: feed bytes of any split, get sealed or opened chunks back as soon as the
// framing rules of chunk.ts allow. Pure: no Web or Node streams, files, headers or keys.
import type { Backend } from "../backend/types.js";
import { payloadError } from "../errors.js";
import {
  CHUNK_SIZE,
  missingFinal,
  openChunk,
  openFullChunk,
  SEALED_CHUNK_SIZE,
  sealChunkParts,
} from "./chunk.js";

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
    const r = openFullChunk(this.backend, this.key, this.counter, sealed);
    if (r === null) this.fail("chunk failed authentication");
    this.counter++;
    if (r.final) this.sawFinal = true;
    return r.plain;
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
    if (this.fill === 0) this.fail(missingFinal(this.counter));
    try {
      return openChunk(this.backend, this.key, this.counter++, true, this.pending.subarray(0, this.fill));
    } catch (e) {
      this.failed = true;
      throw e;
    }
  }
}
