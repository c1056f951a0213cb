import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { blobRangeSource, openEncrypted } from "../src/access/range.js";
import { looksPassphraseEncrypted, sniffInput } from "../src/format/sniff.js";
import { inspect } from "../src/fs/access.js";
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

const scryptHeader = "age-encryption.org/v1\n-> scrypt c2FsdHNhbHRzYWx0c2FsdA 18\nAAAA\n--- mac\n";
const x25519Header = "age-encryption.org/v1\n-> X25519 abc\nAAAA\n--- mac\n";

function armorText(text: string): string {
  const lines =
    Buffer.from(text)
      .toString("base64")
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN AGE ENCRYPTED FILE-----\n${lines.join("\n")}\n-----END AGE ENCRYPTED FILE-----\n`;
}

describe("looksPassphraseEncrypted (the CLI's prompt hint)", () => {
  it("spots scrypt in binary and armored headers, and only scrypt", () => {
    expect(looksPassphraseEncrypted(utf8.encode(scryptHeader))).toBe(true);
    expect(looksPassphraseEncrypted(utf8.encode(armorText(scryptHeader)))).toBe(true);
    expect(looksPassphraseEncrypted(utf8.encode(`\n  ${armorText(scryptHeader)}`))).toBe(true);
    expect(looksPassphraseEncrypted(utf8.encode(x25519Header))).toBe(false);
    expect(looksPassphraseEncrypted(utf8.encode(armorText(x25519Header)))).toBe(false);
    expect(looksPassphraseEncrypted(utf8.encode("hello"))).toBe(false);
    expect(looksPassphraseEncrypted(new Uint8Array())).toBe(false);
  });

  it("works on a head cut anywhere, in binary or in the middle of the armor", () => {
    const a = armorText(`${scryptHeader}${"x".repeat(500)}`);
    expect(looksPassphraseEncrypted(utf8.encode(a.slice(0, 120)))).toBe(true);
    expect(looksPassphraseEncrypted(utf8.encode(scryptHeader.slice(0, 40)))).toBe(true);
    expect(looksPassphraseEncrypted(utf8.encode(scryptHeader.slice(0, 30)))).toBe(false);
  });

  it("is true for a real passphrase-encrypted file and false for a key-encrypted one", async () => {
    const pass = await encrypt("x", { passphrase: "p", workFactor: 2 });
    const id = await generateIdentity();
    const keyed = await encrypt("x", { recipients: [await identityToRecipient(id)], armor: true });
    expect(looksPassphraseEncrypted(pass.subarray(0, 64))).toBe(true);
    expect(looksPassphraseEncrypted(keyed.subarray(0, 200))).toBe(false);
  });
});
