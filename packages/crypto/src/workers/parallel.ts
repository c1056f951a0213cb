// Sealing and opening on worker threads (pool.ts). Chunks are independent (counter and final
// flag follow from the position), so batches of 16 go to the workers and come back in any
// order; results are released strictly in submission order. Opened plaintext is released only
// up to the first chunk that failed. Small inputs stay on the calling thread: starting a worker
// costs more than sealing a few MiB.
//
// Off unless DMS_CRYPTO_WORKERS is set: on the 2-core benchmark machine the workers were slower
// than one thread and doubled peak memory (README, Benchmarks), so one thread is the default.
import type { Backend } from "../backend/types.js";
import { AgeError, payloadError } from "../errors.js";
import type { OpenerFactory } from "../session/decrypt.js";
import type { SealerFactory } from "../session/encrypt.js";
import { openBatch, sealBatch } from "../stream/batch.js";
import { CHUNK_SIZE, SEALED_CHUNK_SIZE } from "../stream/chunk.js";
import { getPool, type JobResult, type Pool } from "./pool.js";

const BATCH_CHUNKS = 16;
/** Plaintext bytes below which everything runs on the calling thread. */
const PARALLEL_THRESHOLD = 4 * 1024 * 1024;
const MAX_WORKERS = 16;

/**
 * Worker threads to use, from `DMS_CRYPTO_WORKERS` (read at each call; unset or blank: 0, off).
 *
 * @throws AgeError ERR_AGE_USAGE when the value is not an integer from 0 to 16.
 */
export function workerCount(env: Record<string, string | undefined> = process.env): number {
  const v = env.DMS_CRYPTO_WORKERS?.trim();
  if (!v) return 0;
  const n = Number(v);
  if (!/^[0-9]+$/.test(v) || n > MAX_WORKERS) {
    throw new AgeError(
      "ERR_AGE_USAGE",
      `DMS_CRYPTO_WORKERS must be an integer from 0 to ${MAX_WORKERS} (0 or unset: no worker threads), got ${JSON.stringify(v)}`,
    );
  }
  return n;
}

interface Entry {
  settled: Promise<void>;
  result?: JobResult | undefined;
  failure?: Error | undefined;
}

/** The FIFO of batches in flight, bounded so that a fast producer waits (backpressure). */
class InFlight {
  private readonly q: Entry[] = [];
  // Two batches per worker keep every worker busy while the caller reads the next input.
  private readonly depth: number;

  constructor(pool: Pool) {
    this.depth = 2 * pool.size;
  }

  add(job: Promise<JobResult> | JobResult): void {
    const e: Entry = { settled: Promise.resolve() };
    if (job instanceof Promise) {
      e.settled = job.then(
        (r) => {
          e.result = r;
        },
        (err: Error) => {
          e.failure = err;
        },
      );
    } else e.result = job;
    this.q.push(e);
  }

  get size(): number {
    return this.q.length;
  }

  /**
   * Hands finished results to `take` in order: every one that is ready, then waits while more
   * than `depth` are in flight (or for all of them with `all`).
   */
  async drain(all: boolean, take: (r: JobResult) => void): Promise<void> {
    for (;;) {
      const head = this.q[0];
      if (!head) return;
      if (!head.result && !head.failure) {
        if (!all && this.q.length <= this.depth) return;
        await head.settled;
      }
      this.q.shift();
      if (head.failure) throw head.failure;
      take(head.result as JobResult);
    }
  }
}

/**
 * Like {@link ChunkSealer} but asynchronous and multi-threaded; same output bytes. `push` may
 * return output of earlier input (or none yet); `finish` returns all that remains.
 */
export class ParallelSealer {
  private cur = new Uint8Array(BATCH_CHUNKS * CHUNK_SIZE);
  private fill = 0;
  private counter = 0;
  private done = false;
  private readonly flight: InFlight;

  constructor(
    private readonly backend: Backend,
    private readonly key: Uint8Array,
    private readonly pool: Pool,
    private readonly threshold = PARALLEL_THRESHOLD,
  ) {
    this.flight = new InFlight(pool);
  }

  /** Below the threshold one chunk at a time, as {@link ChunkSealer} does; then whole batches. */
  private cap(): number {
    return this.counter * CHUNK_SIZE < this.threshold ? CHUNK_SIZE : this.cur.length;
  }

  private submit(last: boolean): void {
    const data = this.cur.subarray(0, this.fill);
    const counter = this.counter;
    this.counter += Math.max(1, Math.ceil(this.fill / CHUNK_SIZE));
    if (counter * CHUNK_SIZE < this.threshold) {
      this.flight.add({ id: 0, out: sealBatch(this.backend, this.key, counter, last, data), chunks: 0 });
    } else {
      this.flight.add(this.pool.run({ op: "seal", key: this.key, counter, last, data }));
      // The buffer was transferred to the worker.
      this.cur = new Uint8Array(BATCH_CHUNKS * CHUNK_SIZE);
    }
    this.fill = 0;
  }

  /** Accepts plaintext of any split (copied); resolves to the sealed bytes that are ready. */
  async push(data: Uint8Array): Promise<Uint8Array[]> {
    if (this.done) throw new RangeError("push after finish");
    let d = data;
    while (d.length > 0) {
      // A full batch goes out only once more input exists: only then is it known not to end.
      if (this.fill === this.cap()) this.submit(false);
      const n = Math.min(this.cap() - this.fill, d.length);
      this.cur.set(d.subarray(0, n), this.fill);
      this.fill += n;
      d = d.subarray(n);
    }
    return this.collect(false);
  }

  /** Seals what remains, ending with the final chunk. */
  async finish(): Promise<Uint8Array[]> {
    if (this.done) throw new RangeError("finish called twice");
    this.done = true;
    this.submit(true);
    return this.collect(true);
  }

  private async collect(all: boolean): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    await this.flight.drain(all, (r) => out.push(r.out));
    return out;
  }
}

/**
 * Like {@link ChunkOpener} but asynchronous and multi-threaded. Plaintext is appended to `out`
 * strictly in order; when it throws, `out` holds exactly the chunks that authenticated before
 * the failure, and nothing after it is ever released.
 */
export class ParallelOpener {
  private cur = new Uint8Array(BATCH_CHUNKS * SEALED_CHUNK_SIZE);
  private fill = 0;
  private counter = 0;
  private done = false;
  private failed = false;
  private readonly flight: InFlight;

  constructor(
    private readonly backend: Backend,
    private readonly key: Uint8Array,
    private readonly pool: Pool,
    private readonly threshold = PARALLEL_THRESHOLD,
  ) {
    this.flight = new InFlight(pool);
  }

  /** Below the threshold one chunk at a time, so plaintext is released as early as {@link ChunkOpener} does. */
  private cap(): number {
    return this.counter * CHUNK_SIZE < this.threshold ? SEALED_CHUNK_SIZE : this.cur.length;
  }

  private submit(end: boolean): void {
    const data = this.cur.subarray(0, this.fill);
    const counter = this.counter;
    this.counter += Math.ceil(this.fill / SEALED_CHUNK_SIZE);
    if (counter * CHUNK_SIZE < this.threshold) {
      const r = openBatch(this.backend, this.key, counter, end, data);
      this.flight.add({
        id: 0,
        out: r.plain,
        chunks: r.chunks,
        ...(r.error === undefined ? {} : { error: r.error }),
      });
    } else {
      this.flight.add(this.pool.run({ op: "open", key: this.key, counter, last: end, data }));
      this.cur = new Uint8Array(BATCH_CHUNKS * SEALED_CHUNK_SIZE);
    }
    this.fill = 0;
  }

  /** Accepts sealed bytes of any split (copied); appends authenticated plaintext to `out`. */
  async push(data: Uint8Array, out: Uint8Array[] = []): Promise<Uint8Array[]> {
    if (this.done || this.failed) throw new RangeError("push after finish or failure");
    let d = data;
    while (d.length > 0) {
      if (this.fill === this.cap()) this.submit(false);
      const n = Math.min(this.cap() - this.fill, d.length);
      this.cur.set(d.subarray(0, n), this.fill);
      this.fill += n;
      d = d.subarray(n);
    }
    return this.collect(false, out);
  }

  /**
   * Ends the input and appends the rest of the plaintext to `out`.
   *
   * @throws AgeError ERR_AGE_PAYLOAD if any chunk failed, or the final chunk is missing or not last.
   */
  async finish(out: Uint8Array[] = []): Promise<Uint8Array[]> {
    if (this.done || this.failed) throw new RangeError("finish after finish or failure");
    this.done = true;
    this.submit(true);
    return this.collect(true, out);
  }

  private async collect(all: boolean, out: Uint8Array[]): Promise<Uint8Array[]> {
    try {
      await this.flight.drain(all, (r) => {
        if (r.out.length > 0) out.push(r.out);
        if (r.error !== undefined) payloadError(r.error);
      });
    } catch (e) {
      this.failed = true;
      throw e;
    }
    return out;
  }
}

/** For {@link EncryptSession}: a parallel sealer when `DMS_CRYPTO_WORKERS` > 0 and the backend is native. */
export const parallelSealer: SealerFactory = (backend, key) => {
  const n = backend.name === "native" ? workerCount() : 0;
  return n > 0 ? new ParallelSealer(backend, key, getPool(n)) : null;
};

/** For {@link DecryptSession}: a parallel opener when `DMS_CRYPTO_WORKERS` > 0 and the backend is native. */
export const parallelOpener: OpenerFactory = (backend, key) => {
  const n = backend.name === "native" ? workerCount() : 0;
  return n > 0 ? new ParallelOpener(backend, key, getPool(n)) : null;
};
