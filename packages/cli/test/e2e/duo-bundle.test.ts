// The bundle carries @dms/crypto's worker as its own entry (scripts/bundle.mjs). The two-thread
// engine falls back to one thread if its worker never joins, so a bundle whose worker lacked the
// engine's share would still give the right bytes, only slower: this asks the bundle's worker
// directly. An empty sealed payload is a job that needs no descriptors and must fail its one batch.
import { Worker } from "node:worker_threads";
import { expect, it } from "vitest";

it("the bundle's worker runs the two-thread engine's share", async () => {
  const w = new Worker(new URL("../../dist/bundle/worker.js", import.meta.url));
  try {
    const job = {
      op: "open",
      key: new Uint8Array(32),
      inFd: -1,
      outFd: -1,
      inStart: 0,
      inBytes: 0,
      state: new SharedArrayBuffer(16),
    };
    const reply = await new Promise<unknown>((resolve, reject) => {
      w.once("message", resolve);
      w.once("error", reject);
      w.postMessage({ duo: job });
    });
    expect(reply).toEqual({ duo: { batch: 0, payload: "payload has no chunks" } });
  } finally {
    await w.terminate();
  }
});
