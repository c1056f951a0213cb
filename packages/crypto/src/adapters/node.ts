// Node stream adapters over the stream-agnostic sessions.
import { Transform, type TransformCallback } from "node:stream";
import { madeGarbage } from "../backend/pace.js";
import { abortError } from "../errors.js";
import { DecryptSession } from "../session/decrypt.js";
import { EncryptSession } from "../session/encrypt.js";
import type { DecryptOptions, EncryptOptions } from "../session/options.js";
import { parallelOpener, parallelSealer } from "../workers/parallel.js";

// Node's own `signal` option would destroy with a generic AbortError; callers branch on our code.
function wireAbort(t: Transform, signal: AbortSignal | undefined): Transform {
  if (!signal) return t;
  const abort = () => t.destroy(abortError(signal));
  if (signal.aborted) queueMicrotask(abort);
  else {
    signal.addEventListener("abort", abort, { once: true });
    t.once("close", () => signal.removeEventListener("abort", abort));
  }
  return t;
}

// One push per input chunk: a writer downstream (fs.WriteStream, a socket) then makes one
// system call per MiB instead of one per 64 KiB chunk, each a thread-pool round trip. The copy
// costs far less than the round trips it saves.
function pushJoined(t: Transform, parts: Uint8Array[]): void {
  if (parts.length === 1) t.push(parts[0]);
  else if (parts.length > 1) {
    const joined = Buffer.concat(parts);
    madeGarbage(joined.length); // the parts, now copied
    t.push(joined);
  }
}

function pushEach(t: Transform, parts: Uint8Array[]): void {
  for (const p of parts) t.push(p);
}

function asBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === "string") return Buffer.from(chunk);
  throw new TypeError(`chunk: expected Uint8Array, got ${typeof chunk}`);
}

/**
 * A Node Transform that encrypts plaintext into an age file.
 *
 * @throws AgeError (as an 'error' event) ERR_AGE_USAGE, ERR_AGE_KEY, ERR_AGE_ABORTED.
 * @example
 * ```ts
 * await pipeline(createReadStream(src), encryptNodeStream({ recipients }), createWriteStream(dst));
 * ```
 */
export function encryptNodeStream(o: EncryptOptions): Transform {
  const s = new EncryptSession(o, undefined, parallelSealer);
  let started: Promise<void> | null = null;
  // The header goes out before the first output; with worker threads (DMS_CRYPTO_WORKERS) output
  // may lag input, and flush drains it.
  const run = (work: () => Promise<Uint8Array[]>, cb: TransformCallback) => {
    started ??= s.start().then((parts) => pushJoined(t, parts));
    started.then(work).then((parts) => {
      pushJoined(t, parts);
      cb();
    }, cb);
  };
  const t: Transform = new Transform({
    transform(chunk: unknown, _enc: BufferEncoding, cb: TransformCallback) {
      let bytes: Uint8Array;
      try {
        bytes = asBytes(chunk);
      } catch (e) {
        cb(e as Error);
        return;
      }
      run(() => s.push(bytes), cb);
    },
    flush(cb: TransformCallback) {
      run(() => s.finish(), cb);
    },
  });
  return wireAbort(t, o.signal);
}

/**
 * A Node Transform that decrypts an age file (binary or armored). It pushes only authenticated
 * plaintext, but if it emits 'error' everything it pushed must be discarded.
 *
 * @throws AgeError (as an 'error' event) ERR_AGE_HEADER, ERR_AGE_NO_MATCH, ERR_AGE_HMAC,
 * ERR_AGE_PAYLOAD, ERR_AGE_ARMOR, ERR_AGE_KEY, ERR_AGE_USAGE, ERR_AGE_ABORTED.
 */
export function decryptNodeStream(o: DecryptOptions): Transform {
  return decryptTransform(o, true);
}

/**
 * {@link decryptNodeStream} pushing each chunk's plaintext as it is (`join` false): for a parser
 * downstream (tar extraction), which gains nothing from the joined copy.
 */
export function decryptTransform(o: DecryptOptions, join: boolean): Transform {
  const push = join ? pushJoined : pushEach;
  const s = new DecryptSession(o, undefined, parallelOpener);
  // Pushes what authenticated, also before a failure, then reports the outcome.
  const settle = (work: (out: Uint8Array[]) => Promise<unknown>, cb: TransformCallback) => {
    const out: Uint8Array[] = [];
    work(out).then(
      () => {
        push(t, out);
        cb();
      },
      (e) => {
        push(t, out);
        cb(e);
      },
    );
  };
  const t: Transform = new Transform({
    transform(chunk: unknown, _enc: BufferEncoding, cb: TransformCallback) {
      settle((out) => s.push(asBytes(chunk), out), cb);
    },
    flush(cb: TransformCallback) {
      settle((out) => s.finish(out), cb);
    },
  });
  return wireAbort(t, o.signal);
}
