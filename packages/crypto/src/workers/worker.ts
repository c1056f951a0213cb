// Worker thread entry: seals or opens batches of chunks with the native backend. Started by
// pool.ts; the payload key travels with each job (32 bytes) so one worker serves any session.
import { parentPort } from "node:worker_threads";
import { nativeBackend } from "../backend/native.js";
import { openBatch, sealBatch } from "../stream/batch.js";
import { type DuoJob, runShareSync } from "./duo.js";
import type { Job, JobResult } from "./pool.js";

const backend = nativeBackend.get();
// The native backend caches its KeyObject per key array, so reuse one array per distinct key.
let lastKey: Uint8Array = new Uint8Array(0);

function keyOf(k: Uint8Array): Uint8Array {
  if (k.length !== lastKey.length || !k.every((b, i) => b === lastKey[i])) lastKey = k;
  return lastKey;
}

parentPort?.on("message", (msg: Job | { duo: DuoJob }) => {
  if ("duo" in msg) {
    parentPort?.postMessage({ duo: runShareSync(msg.duo, backend) });
    return;
  }
  const job = msg;
  let res: JobResult;
  try {
    const key = keyOf(job.key);
    if (job.op === "seal") {
      res = { id: job.id, out: sealBatch(backend, key, job.counter, job.last, job.data), chunks: 0 };
    } else {
      const r = openBatch(backend, key, job.counter, job.last, job.data);
      res = { id: job.id, out: r.plain, chunks: r.chunks };
      if (r.error !== undefined) res.error = r.error;
    }
  } catch (e) {
    res = { id: job.id, out: new Uint8Array(0), chunks: 0, crash: String((e as Error)?.message ?? e) };
  }
  const transfer = res.out.byteOffset === 0 ? [res.out.buffer as ArrayBuffer] : [];
  parentPort?.postMessage(res, transfer);
});
