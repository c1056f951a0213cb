// The main thread's side of the two-thread engine (duo.ts): starts the worker, runs its own share
// without blocking the event loop (it awaits its turn), and turns the first failure into an AgeError.
import { Worker } from "node:worker_threads";
import type { Backend } from "../backend/types.js";
import { AgeError, checkAbort, ioError, payloadError } from "../errors.js";
import { PAUSE } from "../stream/vectored.js";
import {
  batchCount,
  type DuoEnd,
  type DuoJob,
  duoShare,
  JOINED,
  STATE_INTS,
  STOP,
  stop,
  TURN,
} from "./duo.js";
import { getWorkerScript } from "./pool.js";

/** Batches the main thread runs between two turns of the event loop, at most. */
const BATCHES_PER_YIELD = 8;
/** Milliseconds the main thread may block waiting for its turn before it waits asynchronously. */
const SYNC_WAITS = 20;

// Atomics.waitAsync (V8, Node 16+) is in ES2024's lib, newer than the one this package compiles with.
const waitAsync = (
  Atomics as unknown as {
    waitAsync(a: Int32Array, i: number, v: number, ms: number): { async: boolean; value: unknown };
  }
).waitAsync;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs so far in this thread (tests check that the two-thread path was the one taken). */
export const duoStats = { runs: 0 };

/** A started worker waiting for its job: {@link Duo.run} it once, or {@link Duo.cancel} it. */
export interface Duo {
  /**
   * Runs `job` on this thread and the worker. `progress` is called with the number of batches
   * written so far. Resolves when every batch is written; the worker is gone either way.
   *
   * @throws AgeError ERR_AGE_PAYLOAD (opening: what authenticated before the failing chunk is
   * written), ERR_AGE_IO / ERR_AGE_NO_SPACE (errno kept), ERR_AGE_ABORTED.
   */
  run(
    job: Omit<DuoJob, "state">,
    backend: Backend,
    signal: AbortSignal | undefined,
    progress: (batches: number) => void,
  ): Promise<void>;
  /** Stops the worker without running anything. */
  cancel(): Promise<void>;
}

/**
 * Starts the worker now, so its start-up (tens of milliseconds) overlaps the header's work; the
 * job follows once the payload key is known.
 */
export function startDuo(): Duo {
  const state = new Int32Array(new SharedArrayBuffer(STATE_INTS * 4));
  const worker = new Worker(getWorkerScript());
  const theirs = new Promise<DuoEnd>((resolve) => {
    worker.once("message", (m: { duo?: DuoEnd }) => resolve(m.duo ?? {}));
    // A worker that dies before it joins leaves this thread all the batches; one that dies after
    // may hold a batch nobody else will write: stop, and say so.
    const died = (why: string) => {
      if (Atomics.load(state, JOINED) === 0) return resolve({});
      stop(state);
      resolve({ batch: -1, io: { message: `the crypto worker stopped: ${why}` } });
    };
    worker.once("error", (e) => died(String(e?.message ?? e)));
    worker.once("exit", (code) => died(`exit code ${code}`));
  });
  const cancel = async () => {
    worker.removeAllListeners("exit");
    await worker.terminate();
  };
  const run: Duo["run"] = async (job, backend, signal, progress) => {
    duoStats.runs++;
    const full: DuoJob = { ...job, state: state.buffer as SharedArrayBuffer };
    worker.postMessage({ duo: full });
    const onAbort = () => stop(state);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const ends = [await share(full, backend, progress)];
      // Every batch written: the worker may still be starting, and has nothing left to do.
      if (Atomics.load(state, TURN) !== batchCount(full)) ends.push(await theirs);
      const failed = ends.filter((e) => e.batch !== undefined);
      checkAbort(signal);
      failed.sort((a, b) => (a.batch as number) - (b.batch as number));
      const first = failed[0];
      if (first?.payload !== undefined) payloadError(first.payload);
      if (first?.io !== undefined) {
        const { message, ...fields } = first.io;
        throw first.batch === -1
          ? new AgeError("ERR_AGE_IO", `${message}; retry, and report it if it happens again`)
          : ioError(Object.assign(new Error(message), fields));
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      await cancel();
    }
  };
  return { run, cancel };
}

async function share(job: DuoJob, backend: Backend, progress: (batches: number) => void): Promise<DuoEnd> {
  const state = new Int32Array(job.state);
  const steps = duoShare(job, backend);
  let done = 0;
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return r.value;
    if (r.value === PAUSE) {
      await sleep(1);
      continue;
    }
    const batch = r.value;
    // The turn comes within the worker's batch (about a millisecond) unless its write is stuck on
    // a slow pipe: block that long, as the one-thread engine blocks on its own writes, then wait
    // without blocking so signals and the AbortSignal still run. (Waiting asynchronously each time
    // cost ~0.1 ms of event-loop latency per batch.)
    for (let blocked = 0; ; ) {
      const turn = Atomics.load(state, TURN);
      if (turn === batch || Atomics.load(state, STOP) === 1) break;
      if (blocked < SYNC_WAITS) {
        blocked++;
        Atomics.wait(state, TURN, turn, 1);
        continue;
      }
      const w = waitAsync(state, TURN, turn, 1000);
      if (w.async) await w.value;
    }
    progress(batch);
    if (++done % BATCHES_PER_YIELD === 0) await new Promise((r) => setImmediate(r));
  }
}
