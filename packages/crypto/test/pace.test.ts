// The garbage pacer of the native backend: with gc exposed, a young-generation collection every
// PACE_BYTES of cipher output; without it, nothing (and nothing breaks).

import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterEach, describe, expect, it } from "vitest";
import { PACE_BYTES } from "../src/backend/pace.js";
import { decrypt, encrypt, encryptNodeStream, generateIdentity, identityToRecipient } from "../src/index.js";

const g = globalThis as { gc?: unknown };
const had = g.gc;
afterEach(() => {
  g.gc = had;
});

describe("garbage pacing", () => {
  it("collects the young generation every PACE_BYTES of output when gc is exposed", async () => {
    const calls: unknown[] = [];
    g.gc = (o: unknown) => calls.push(o);
    const id = await generateIdentity();
    const plain = new Uint8Array(4 * PACE_BYTES);
    const sealed = await encrypt(plain, { recipients: [await identityToRecipient(id)], backend: "native" });
    const afterSeal = calls.length;
    // At least one per PACE_BYTES of ciphertext made; a collection per chunk would be thousands.
    expect(afterSeal).toBeGreaterThanOrEqual(3);
    expect(afterSeal).toBeLessThanOrEqual(9);
    expect(Buffer.from(await decrypt(sealed, { identities: [id], backend: "native" })).equals(plain)).toBe(
      true,
    );
    expect(calls.length - afterSeal).toBeGreaterThanOrEqual(3);
    expect(calls.every((o) => (o as { type?: string }).type === "minor")).toBe(true);
  });

  it("the Node stream adapter also counts the batches it joins (twice the garbage, twice the pace)", async () => {
    const calls: unknown[] = [];
    g.gc = (o: unknown) => calls.push(o);
    const id = await generateIdentity();
    const block = new Uint8Array(1024 * 1024);
    const blocks = Array.from({ length: (4 * PACE_BYTES) / block.length }, () => block);
    let out = 0;
    await pipeline(
      Readable.from(blocks),
      encryptNodeStream({ recipients: [await identityToRecipient(id)], backend: "native" }),
      async (chunks: AsyncIterable<Uint8Array>) => {
        for await (const c of chunks) out += c.length;
      },
    );
    expect(out).toBeGreaterThan(4 * PACE_BYTES);
    // Cipher output alone would make 4 collections; its 1 MiB joins count as much again.
    expect(calls.length).toBeGreaterThanOrEqual(7);
    expect(calls.length).toBeLessThanOrEqual(10);
  });

  it("does nothing where gc is not exposed", async () => {
    g.gc = undefined;
    const id = await generateIdentity();
    const plain = new Uint8Array(2 * PACE_BYTES).fill(7);
    const sealed = await encrypt(plain, { recipients: [await identityToRecipient(id)], backend: "native" });
    expect(Buffer.from(await decrypt(sealed, { identities: [id], backend: "native" })).equals(plain)).toBe(
      true,
    );
  });
});
