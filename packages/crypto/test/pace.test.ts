// The garbage pacer of the native backend: with gc exposed, a young-generation collection every
// PACE_BYTES of cipher output; without it, nothing (and nothing breaks).
import { afterEach, describe, expect, it } from "vitest";
import { PACE_BYTES } from "../src/backend/pace.js";
import { decrypt, encrypt, generateIdentity, identityToRecipient } from "../src/index.js";

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
