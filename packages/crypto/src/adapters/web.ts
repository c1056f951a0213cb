// Web Streams adapters over the stream-agnostic sessions.

import { abortError } from "../errors.js";
import { DecryptSession } from "../session/decrypt.js";
import { EncryptSession } from "../session/encrypt.js";
import type { DecryptOptions, EncryptOptions } from "../session/options.js";

/** Errors the stream when the signal fires; returns a function that detaches the listener. */
function onAbort(
  signal: AbortSignal | undefined,
  c: TransformStreamDefaultController<Uint8Array>,
): () => void {
  if (!signal) return () => {};
  const abort = () => c.error(abortError(signal));
  signal.addEventListener("abort", abort, { once: true });
  return () => signal.removeEventListener("abort", abort);
}

/**
 * A Web Streams TransformStream that encrypts plaintext into an age file.
 *
 * @throws AgeError (through the stream) ERR_AGE_USAGE, ERR_AGE_KEY, ERR_AGE_ABORTED.
 * @example
 * ```ts
 * await readable.pipeThrough(createEncryptStream({ recipients })).pipeTo(writable);
 * ```
 */
export function createEncryptStream(o: EncryptOptions): TransformStream<Uint8Array, Uint8Array> {
  const s = new EncryptSession(o);
  let detach = () => {};
  return new TransformStream<Uint8Array, Uint8Array>({
    async start(c) {
      detach = onAbort(o.signal, c);
      for (const p of await s.start()) c.enqueue(p);
    },
    async transform(chunk, c) {
      for (const p of await s.push(chunk)) c.enqueue(p);
    },
    async flush(c) {
      detach();
      for (const p of await s.finish()) c.enqueue(p);
    },
  });
}

/**
 * A Web Streams TransformStream that decrypts an age file (binary or armored). It emits only
 * authenticated plaintext, but if it errors everything it emitted must be discarded.
 *
 * @throws AgeError (through the stream) ERR_AGE_HEADER, ERR_AGE_NO_MATCH, ERR_AGE_HMAC,
 * ERR_AGE_PAYLOAD, ERR_AGE_ARMOR, ERR_AGE_KEY, ERR_AGE_USAGE, ERR_AGE_ABORTED.
 */
export function createDecryptStream(o: DecryptOptions): TransformStream<Uint8Array, Uint8Array> {
  const s = new DecryptSession(o);
  let detach = () => {};
  return new TransformStream<Uint8Array, Uint8Array>({
    start(c) {
      detach = onAbort(o.signal, c);
    },
    async transform(chunk, c) {
      const out: Uint8Array[] = [];
      try {
        await s.push(chunk, out);
      } finally {
        // Release what authenticated before a failure, then let the error end the stream.
        for (const p of out) c.enqueue(p);
      }
    },
    async flush(c) {
      detach();
      const out: Uint8Array[] = [];
      try {
        await s.finish(out);
      } finally {
        for (const p of out) c.enqueue(p);
      }
    },
  });
}
