// A small pool of worker threads that seal or open batches of chunks (worker.ts). Started on
// first use, shared by every session; idle workers are unref'd so they never keep a process alive.
import { Worker } from "node:worker_threads";

/** One unit of work: `data` is moved to the worker (its buffer is transferred). */
export interface Job {
  id: number;
  op: "seal" | "open";
  key: Uint8Array;
  counter: number;
  /** seal: the last chunk is final; open: these are the payload's last bytes. */
  last: boolean;
  data: Uint8Array;
}

export interface JobResult {
  id: number;
  out: Uint8Array;
  chunks: number;
  /** open: a chunk failed; `out` holds the chunks that authenticated before it. */
  error?: string | undefined;
  /** An unexpected exception in the worker (a bug, not bad input). */
  crash?: string | undefined;
}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (r: JobResult) => void; reject: (e: Error) => void }>;
}

// The compiled worker beside this module. Tests that run the sources (where there is no compiled
// worker beside them) point it at dist/ with setWorkerScript, before any pool starts.
let workerScript = new URL("./worker.js", import.meta.url);

/** Internal: the worker module new threads run (not exported from the package). */
export function setWorkerScript(url: URL): void {
  workerScript = url;
}

/** The worker module new threads run (duo.ts starts its own thread on it). */
export function getWorkerScript(): URL {
  return workerScript;
}

/** A fixed set of worker threads; see {@link getPool}. */
export class Pool {
  private readonly slots: (Slot | null)[];
  private nextId = 1;

  constructor(readonly size: number) {
    this.slots = new Array<Slot | null>(size).fill(null);
  }

  private spawn(i: number): Slot {
    const worker = new Worker(workerScript);
    const slot: Slot = { worker, pending: new Map() };
    const failAll = (e: Error) => {
      if (this.slots[i] === slot) this.slots[i] = null;
      for (const p of slot.pending.values()) p.reject(e);
      slot.pending.clear();
    };
    worker.on("message", (r: JobResult) => {
      const p = slot.pending.get(r.id);
      if (!p) return;
      slot.pending.delete(r.id);
      if (slot.pending.size === 0) worker.unref();
      if (r.crash !== undefined) p.reject(new Error(`crypto worker: ${r.crash}`));
      else p.resolve(r);
    });
    worker.on("error", failAll);
    worker.on("exit", (code) => failAll(new Error(`crypto worker exited with code ${code}`)));
    worker.unref();
    this.slots[i] = slot;
    return slot;
  }

  /** Runs a job on the least busy worker; results of one caller's jobs may arrive out of order. */
  run(job: Omit<Job, "id">): Promise<JobResult> {
    let best = 0;
    for (let i = 1; i < this.size; i++) {
      if ((this.slots[i]?.pending.size ?? 0) < (this.slots[best]?.pending.size ?? 0)) best = i;
    }
    const slot = this.slots[best] ?? this.spawn(best);
    const id = this.nextId++;
    return new Promise<JobResult>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      if (slot.pending.size === 1) slot.worker.ref();
      const data = job.data;
      const transfer =
        data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? [data.buffer] : [];
      slot.worker.postMessage({ ...job, id }, transfer as ArrayBuffer[]);
    });
  }

  async close(): Promise<void> {
    const all = this.slots.filter((s): s is Slot => s !== null);
    this.slots.fill(null);
    await Promise.all(all.map((s) => s.worker.terminate()));
  }
}

const pools = new Map<number, Pool>();

/** The shared pool of `size` workers (started lazily, one per distinct size). */
export function getPool(size: number): Pool {
  let p = pools.get(size);
  if (!p) {
    p = new Pool(size);
    pools.set(size, p);
  }
  return p;
}

/** Stops every pool's workers (tests; a later job starts new ones). */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.close()));
}
