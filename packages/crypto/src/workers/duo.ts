// Two threads on one regular file: the main thread and one worker each claim the next batch of 16
// chunks, read it with a positional read into their own buffer, seal or open it there, and write it
// when its turn comes, in batch order, so the output is byte for byte what one thread writes. The
// only shared state is four int32 in a SharedArrayBuffer; no data crosses between the threads.
// Node only (positional reads and vectored writes on descriptors).
import { readSync, writevSync } from "node:fs";
import type { Backend } from "../backend/types.js";
import { openBatchParts, sealBatchParts } from "../stream/batch.js";
import { CHUNK_SIZE, SEALED_CHUNK_SIZE } from "../stream/chunk.js";
import { PAUSE, writeSteps } from "../stream/vectored.js";

/** Chunks per batch: 1 MiB of plaintext, the size the one-thread engine reads. */
export const BATCH_CHUNKS = 16;

/** Slots of the shared Int32Array. */
export const NEXT = 0; // the next batch to claim
export const TURN = 1; // the batch whose turn it is to write; -1 once stopped
export const STOP = 2; // 1 once a thread failed or the caller aborted: nobody writes any more
export const JOINED = 3; // 1 once the worker runs its share: from then on its death loses a batch
export const STATE_INTS = 4;

/** What both threads run: everything is plain data, so it crosses postMessage as is. */
export interface DuoJob {
  op: "seal" | "open";
  /** The payload key. */
  key: Uint8Array;
  inFd: number;
  outFd: number;
  /** Input offset of the first batch: where the plaintext starts, or the payload after the header. */
  inStart: number;
  /** Input bytes from `inStart` to the end: the plaintext, or the sealed payload. */
  inBytes: number;
  state: SharedArrayBuffer;
}

/** How a thread's share ended: nothing (done, or stopped by another), or the first failure it met. */
export interface DuoEnd {
  /** The batch it failed on, so the failure of the earliest batch is the one reported. */
  batch?: number;
  /** A chunk that did not authenticate (opening): the reason, as the one-thread engine words it. */
  payload?: string;
  /** A failed read or write: the error's fields (errno code, syscall, message). */
  io?: { code?: string; syscall?: string; message: string };
}

/** Input bytes per batch. */
export function batchBytes(op: DuoJob["op"]): number {
  return BATCH_CHUNKS * (op === "seal" ? CHUNK_SIZE : SEALED_CHUNK_SIZE);
}

/** Batches of a job (a sealed payload of 0 bytes is one batch, so its error is reported). */
export function batchCount(job: Pick<DuoJob, "op" | "inBytes">): number {
  return Math.max(1, Math.ceil(job.inBytes / batchBytes(job.op)));
}

/** Stops everyone: later writers see STOP, and waiters wake because TURN changed. */
export function stop(state: Int32Array): void {
  Atomics.store(state, STOP, 1);
  Atomics.store(state, TURN, -1);
  Atomics.notify(state, TURN);
}

/** Whether `batch` may write now (its turn), or the run stopped. */
export function mayWrite(state: Int32Array, batch: number): boolean {
  return Atomics.load(state, TURN) === batch || Atomics.load(state, STOP) === 1;
}

/** Batches a thread may hold sealed or opened while the oldest waits for its turn. */
const AHEAD = 2;

interface Ready {
  batch: number;
  parts: Uint8Array[];
  /** Opening: why the chunk after `parts` failed. */
  payload?: string | undefined;
}

/**
 * One thread's share, as steps: it yields a batch number when that batch is ready to write, and
 * the driver resumes it once {@link mayWrite} (the worker blocks on the shared turn, the main
 * thread waits for it); or {@link PAUSE} while a write waits. Returns how the share ended; never
 * throws for bad input or I/O.
 */
export function* duoShare(job: DuoJob, backend: Backend): Generator<number, DuoEnd, void> {
  const state = new Int32Array(job.state);
  const per = batchBytes(job.op);
  const batches = batchCount(job);
  const buf = new Uint8Array(per);
  const ready: Ready[] = [];
  let more = true;
  let at = -1; // the batch in hand, named if something fails
  try {
    for (;;) {
      if (Atomics.load(state, STOP) === 1) return {};
      const head = ready[0];
      // Work ahead while the oldest batch waits for its turn, so a pause of the other thread (a
      // collection, a slow write) does not stall this one.
      if (more && ready.length < AHEAD && !(head && mayWrite(state, head.batch))) {
        const b = Atomics.add(state, NEXT, 1);
        if (b >= batches) {
          more = false;
          continue;
        }
        at = b;
        const len = Math.min(per, job.inBytes - b * per);
        readAt(job.inFd, buf, len, job.inStart + b * per);
        const data = buf.subarray(0, len);
        const counter = b * BATCH_CHUNKS;
        const last = b === batches - 1;
        if (job.op === "seal") {
          ready.push({ batch: b, parts: sealBatchParts(backend, job.key, counter, last, data) });
        } else {
          const r = openBatchParts(backend, job.key, counter, last, data);
          ready.push({ batch: b, parts: r.parts, payload: r.error });
          if (r.error !== undefined) more = false;
        }
        continue;
      }
      if (!head) return {};
      at = head.batch;
      yield head.batch;
      if (Atomics.load(state, STOP) === 1) return {};
      // What authenticated before a failure is written too, as the one-thread engine releases it.
      yield* writeSteps((p) => writevSync(job.outFd, p), head.parts);
      ready.shift();
      if (head.payload !== undefined) {
        stop(state);
        return { batch: head.batch, payload: head.payload };
      }
      Atomics.store(state, TURN, head.batch + 1);
      Atomics.notify(state, TURN);
    }
  } catch (e) {
    stop(state);
    const err = e as NodeJS.ErrnoException;
    const io: NonNullable<DuoEnd["io"]> = { message: String(err?.message ?? e) };
    if (typeof err?.code === "string") io.code = err.code;
    if (typeof err?.syscall === "string") io.syscall = err.syscall;
    return { batch: at, io };
  }
}

/** Fills `buf` with `len` bytes at `pos`; a file that ends early changed under us. */
function readAt(fd: number, buf: Uint8Array, len: number, pos: number): void {
  let got = 0;
  while (got < len) {
    const n = readSync(fd, buf, got, len - got, pos + got);
    if (n === 0) {
      throw Object.assign(new Error("the input file shrank while it was read"), {
        code: "EIO",
        syscall: "read",
      });
    }
    got += n;
  }
}

/** The worker's driver of {@link duoShare}: blocks on the shared turn (a worker may). */
export function runShareSync(job: DuoJob, backend: Backend): DuoEnd {
  const state = new Int32Array(job.state);
  const nap = new Int32Array(new SharedArrayBuffer(4));
  Atomics.store(state, JOINED, 1);
  const steps = duoShare(job, backend);
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return r.value;
    if (r.value === PAUSE) {
      Atomics.wait(nap, 0, 0, 1);
      continue;
    }
    for (;;) {
      const turn = Atomics.load(state, TURN);
      if (turn === r.value || Atomics.load(state, STOP) === 1) break;
      Atomics.wait(state, TURN, turn, 1000);
    }
  }
}
