// The worker of the two-thread engine on its own: the built worker (dist/workers/worker.js), given
// a whole job and no main thread taking batches, writes every batch. In the engine the main thread
// claims batches too, and for a small input often all of them before the worker has started, so
// this is where the worker's side is shown to work from the build.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, expect, it } from "vitest";
import { generateIdentity, identityToRecipient } from "../../src/recipients/keys.js";
import { decrypt } from "../../src/session/decrypt.js";
import { EncryptSession } from "../../src/session/encrypt.js";
import { CHUNK_SIZE, SEALED_CHUNK_SIZE } from "../../src/stream/chunk.js";
import { batchCount, type DuoEnd, type DuoJob, STATE_INTS, TURN } from "../../src/workers/duo.js";
import { bytes, concat } from "../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "dms-duo-worker-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `job` on a worker of the build alone; resolves to its end and the final turn. */
async function alone(job: Omit<DuoJob, "state">): Promise<{ end: DuoEnd; turn: number }> {
  const state = new SharedArrayBuffer(STATE_INTS * 4);
  const w = new Worker(new URL("../../dist/workers/worker.js", import.meta.url));
  try {
    const end = await new Promise<DuoEnd>((resolve, reject) => {
      w.once("message", (m: { duo?: DuoEnd }) =>
        m.duo ? resolve(m.duo) : reject(new Error("not a duo reply")),
      );
      w.once("error", reject);
      w.postMessage({ duo: { ...job, state } });
    });
    return { end, turn: Atomics.load(new Int32Array(state), TURN) };
  } finally {
    await w.terminate();
  }
}

/** Runs `fn` with descriptors of `input` (a new file holding it) and of a new output file. */
function withFiles<T>(
  input: Uint8Array,
  fn: (i: number, o: number, outPath: string) => Promise<T>,
): Promise<T> {
  const inPath = join(dir, "in");
  const outPath = join(dir, "out");
  writeFileSync(inPath, input);
  const i = openSync(inPath, "r");
  const o = openSync(outPath, "w");
  return fn(i, o, outPath).finally(() => {
    closeSync(i);
    closeSync(o);
  });
}

it("seals a whole payload that decrypts, opens it back, and stops at a damaged chunk", async () => {
  const identity = await generateIdentity();
  const plain = bytes(5 * 16 * CHUNK_SIZE + 777, 3);
  let key: Uint8Array | undefined;
  const s = new EncryptSession({ recipients: [await identityToRecipient(identity)] }, undefined, (_b, k) => {
    key = k;
    return null;
  });
  const head = concat(await s.start());
  const payloadKey = key as Uint8Array;

  const ct = await withFiles(plain, async (i, o, outPath) => {
    writeSync(o, head);
    const job = {
      op: "seal" as const,
      key: payloadKey,
      inFd: i,
      outFd: o,
      inStart: 0,
      inBytes: plain.length,
    };
    const r = await alone(job);
    expect(r.end).toEqual({});
    expect(r.turn).toBe(batchCount(job));
    return new Uint8Array(readFileSync(outPath));
  });
  expect(Buffer.compare(await decrypt(ct, { identities: [identity] }), plain)).toBe(0);

  const open = (sealed: Uint8Array) =>
    withFiles(sealed, async (i, o, outPath) => {
      const job = {
        op: "open" as const,
        key: payloadKey,
        inFd: i,
        outFd: o,
        inStart: 0,
        inBytes: sealed.length,
      };
      return { ...(await alone(job)), out: new Uint8Array(readFileSync(outPath)) };
    });
  const payload = ct.subarray(head.length);
  const back = await open(payload);
  expect(back.end).toEqual({});
  expect(Buffer.compare(back.out, plain)).toBe(0);

  // Chunk 40 (batch 2) damaged: batches 0-1 and chunks 32-39 are written, then the failure.
  const bad = payload.slice();
  const at = 40 * SEALED_CHUNK_SIZE + 7;
  bad[at] = (bad[at] as number) ^ 1;
  const cut = await open(bad);
  expect(cut.end).toEqual({ batch: 2, payload: "chunk failed authentication" });
  expect(Buffer.compare(cut.out, plain.subarray(0, 40 * CHUNK_SIZE))).toBe(0);
});
