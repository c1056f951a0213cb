import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { inspect } from "../src/access/inspect.js";
import { blobRangeSource, openEncrypted } from "../src/access/range.js";
import { sniffInput } from "../src/format/sniff.js";
import { generateIdentity, identityToRecipient } from "../src/recipients/keys.js";
import { decrypt } from "../src/session/decrypt.js";
import { encrypt } from "../src/session/encrypt.js";

const utf8 = new TextEncoder();

describe("sniffInput", () => {
  it.each([
    ["age-encryption.org/v1\n", "binary"],
    ["age-encr", "undecided"],
    ["", "undecided"],
    ["\n  -----BEGIN AGE ENCRYPTED FILE-----\n", "armored"],
    ["-----BEGIN AGE", "undecided"],
    ["-----BEGIN PGP MESSAGE-----", "not-age"],
    ["hello", "not-age"],
  ])("%j is %s", (text, kind) => {
    expect(sniffInput(utf8.encode(text))).toBe(kind);
  });
});

describe("random binary input is not an age file, everywhere", () => {
  // Starts with a byte that is neither text nor the start of the magic, so every sample is binary junk.
  const junk = Uint8Array.from([0x00, ...randomBytes(70_000)]);
  it("decrypt, inspect and random access all say ERR_AGE_NOT_AGE", async () => {
    const identity = await generateIdentity();
    await expect(decrypt(junk, { identities: [identity] })).rejects.toMatchObject({
      code: "ERR_AGE_NOT_AGE",
    });
    await expect(inspect(junk)).rejects.toMatchObject({ code: "ERR_AGE_NOT_AGE" });
    const src = blobRangeSource(new Blob([junk]));
    await expect(openEncrypted(src, { identities: [identity] })).rejects.toMatchObject({
      code: "ERR_AGE_NOT_AGE",
    });
  });

  it("armored input where random access needs binary is ERR_AGE_ARMORED", async () => {
    const identity = await generateIdentity();
    const ct = await encrypt(utf8.encode("x"), {
      recipients: [await identityToRecipient(identity)],
      armor: true,
    });
    const src = blobRangeSource(new Blob([ct as Uint8Array<ArrayBuffer>]));
    await expect(openEncrypted(src, { identities: [identity] })).rejects.toMatchObject({
      code: "ERR_AGE_ARMORED",
    });
  });
});
