// A pipe read as its data arrives (src/fs/pipe.ts), through FIFOs this test writes: whole
// streams both ways, a slow writer whose bytes must not wait for a full block, an abort while the
// writer is silent, and the descriptor handed over.
import { execFileSync } from "node:child_process";
import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptFd, encryptFd } from "../src/fs/fd.js";
import { pipeBlocks } from "../src/fs/pipe.js";
import { generateIdentity, identityToRecipient } from "../src/recipients/keys.js";
import { decrypt } from "../src/session/decrypt.js";
import { encrypt } from "../src/session/encrypt.js";
import { cleanup, tempDir } from "./fixtures/archive/helpers.js";
import { bytes, expectBytes, expectCode } from "./helpers.js";

let dir: string;
let identity: string;
let recipient: string;
let count = 0;
beforeAll(async () => {
  dir = await tempDir("dms-pipe-");
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
});
afterAll(() => cleanup(dir));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A FIFO whose read end is open (without waiting for a writer), and a writer that sends `pieces`
 * with `gapMs` between them, then closes.
 */
function fifo(pieces: Uint8Array[], gapMs = 0): { fd: number; written: Promise<void> } {
  const path = join(dir, `fifo-${count++}`);
  execFileSync("mkfifo", [path]);
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const written = (async () => {
    const w = await open(path, "w");
    try {
      for (const p of pieces) {
        await w.write(p);
        if (gapMs) await sleep(gapMs);
      }
    } finally {
      await w.close();
    }
  })();
  return { fd, written };
}

/** Runs `fn` from a FIFO carrying `src` to a file; returns the file's bytes and the error. */
async function fromFifo(src: Uint8Array, fn: (input: { pipeFd: number }, out: number) => Promise<void>) {
  const pieces: Uint8Array[] = [];
  for (let i = 0; i < src.length; i += 300_000) pieces.push(src.subarray(i, i + 300_000));
  const { fd, written } = fifo(pieces);
  const outPath = join(dir, `out-${count++}`);
  const out = openSync(outPath, "w");
  let err: unknown;
  try {
    await fn({ pipeFd: fd }, out);
  } catch (e) {
    err = e;
  } finally {
    closeSync(out);
  }
  await written.catch(() => {});
  return { out: new Uint8Array(readFileSync(outPath)), err };
}

describe("a pipe as the descriptor engine's input", () => {
  it.each([0, 1, 65536, 65537, 3 * 1024 * 1024 + 7])("round trip of %i bytes", async (n) => {
    const plain = bytes(n, n + 5);
    const enc = await fromFifo(plain, (i, o) => encryptFd(i, o, { recipients: [recipient] }));
    expect(enc.err).toBeUndefined();
    expectBytes(await decrypt(enc.out, { identities: [identity] }), plain);
    const dec = await fromFifo(enc.out, (i, o) => decryptFd(i, o, { identities: [identity] }));
    expect(dec.err).toBeUndefined();
    expectBytes(dec.out, plain);
  });

  it("a damaged chunk releases only what authenticated before it", async () => {
    const plain = bytes(5 * 65536, 9);
    const ct = await encrypt(plain, { recipients: [recipient] });
    const bad = ct.slice();
    const at = ct.length - 65536 - 100; // inside the second-to-last chunk
    bad[at] = (bad[at] as number) ^ 1;
    const dec = await fromFifo(bad, (i, o) => decryptFd(i, o, { identities: [identity] }));
    expect((dec.err as { code?: string }).code).toBe("ERR_AGE_PAYLOAD");
    expectBytes(dec.out, plain.subarray(0, 3 * 65536));
  });

  it("hands out a slow writer's bytes without waiting for a full block", async () => {
    const pieces = [bytes(100, 1), bytes(5000, 2), bytes(70_000, 3), bytes(3, 4)];
    const { fd, written } = fifo(pieces, 40);
    const got: Uint8Array[] = [];
    let writerDone = false;
    void written.then(() => (writerDone = true));
    let before = 0;
    for await (const b of pipeBlocks(fd, undefined)) {
      if (!writerDone) before++;
      got.push(b.slice());
      // Reads go on while a lingering block is held: they must not land on it.
      await sleep(5);
    }
    await written;
    expectBytes(Buffer.concat(got), Buffer.concat(pieces));
    expect(before).toBeGreaterThanOrEqual(3);
  });

  it("hands out at most what was asked once that much has arrived", async () => {
    const all = bytes(1024 * 1024 + 5, 7);
    const { fd, written } = fifo([all]);
    const got: Uint8Array[] = [];
    for await (const b of pipeBlocks(fd, undefined, 64 * 1024)) got.push(b.slice());
    await written;
    expectBytes(Buffer.concat(got), all);
    expect(got.length).toBeGreaterThan(4);
  });

  it("an abort ends a read while the writer is silent, and the descriptor is closed", async () => {
    const { fd, written } = fifo([bytes(10, 1)], 700);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = Date.now();
    const out = openSync(join(dir, `out-${count++}`), "w");
    try {
      await expectCode(
        () => encryptFd({ pipeFd: fd }, out, { recipients: [recipient], signal: ac.signal }),
        "ERR_AGE_ABORTED",
      );
    } finally {
      closeSync(out);
    }
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(() => fstatSync(fd)).toThrow(/EBADF/);
    await written.catch(() => {}); // EPIPE once the reader is gone
  });
});
