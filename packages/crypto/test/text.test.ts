// The conveniences typage users expect: a string in for encryption, text out for decryption.
import { describe, expect, it } from "vitest";
import { generateIdentity, identityToRecipient } from "../src/recipients/keys.js";
import { decrypt } from "../src/session/decrypt.js";
import { encrypt } from "../src/session/encrypt.js";

describe("strings and text", () => {
  it("encrypts a string as UTF-8 and decrypts it back as text, armored passed as a string too", async () => {
    const id = await generateIdentity();
    const o = { recipients: [await identityToRecipient(id)] };
    const msg = "grüße, 世界 \u{1F600}";
    expect(await decrypt(await encrypt(msg, o), { identities: [id] }, "text")).toBe(msg);
    const armored = new TextDecoder().decode(await encrypt(msg, { ...o, armor: true }));
    expect(await decrypt(armored, { identities: [id] }, "text")).toBe(msg);
    expect(await decrypt(armored, { identities: [id] })).toEqual(new TextEncoder().encode(msg));
  });

  it("text asked for bytes that are not UTF-8 is ERR_AGE_USAGE; bad argument types are TypeError", async () => {
    const ct = await encrypt(Uint8Array.from([0xff, 0xfe]), { passphrase: "p", workFactor: 2 });
    await expect(decrypt(ct, { passphrase: "p" }, "text")).rejects.toMatchObject({ code: "ERR_AGE_USAGE" });
    await expect(encrypt(1 as unknown as string, { passphrase: "p" })).rejects.toThrow(TypeError);
    await expect(decrypt(ct, { passphrase: "p" }, "json" as "text")).rejects.toThrow(TypeError);
  });
});

describe("isAgeError", () => {
  it("tells an AgeError, and its code, from anything else", async () => {
    const { AgeError, isAgeError } = await import("../src/index.js");
    const e = new AgeError("ERR_AGE_KEY", "x");
    expect([
      isAgeError(e),
      isAgeError(e, "ERR_AGE_KEY"),
      isAgeError(e, "ERR_AGE_IO"),
      isAgeError(new Error()),
    ]).toEqual([true, true, false, false]);
  });
});
