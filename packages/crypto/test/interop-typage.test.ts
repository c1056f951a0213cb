// Interop with typage (the `age-encryption` npm package) for the hybrid post-quantum type, and
// X25519 and scrypt for good measure, in both directions.
import * as typage from "age-encryption";
import { describe, expect, it } from "vitest";
import { generateHybridIdentity, generateIdentity, identityToRecipient } from "../src/recipients/keys.js";
import { decrypt } from "../src/session/decrypt.js";
import { encrypt } from "../src/session/encrypt.js";
import { BACKENDS, bytes, expectBytes, expectCode } from "./helpers.js";

describe.each(BACKENDS)("typage interop (%s backend)", (backend) => {
  const plain = bytes(70000, 12);

  it("mlkem768x25519: typage decrypts ours, to a typage-generated identity", async () => {
    const id = await typage.generateHybridIdentity();
    const recipient = await typage.identityToRecipient(id);
    expect(await identityToRecipient(id)).toBe(recipient);
    const ct = await encrypt(plain, { recipients: [recipient], backend });
    expect(new TextDecoder("latin1").decode(ct.subarray(0, 40))).toContain("-> mlkem768x25519 ");
    const d = new typage.Decrypter();
    d.addIdentity(id);
    expectBytes(await d.decrypt(ct), plain);
  });

  it("mlkem768x25519: we decrypt typage's file, to an identity we generated", async () => {
    const id = await generateHybridIdentity();
    expect(await typage.identityToRecipient(id)).toBe(await identityToRecipient(id));
    const e = new typage.Encrypter();
    e.addRecipient(await identityToRecipient(id));
    const ct = await e.encrypt(plain);
    expectBytes(await decrypt(ct, { identities: [id], backend }), plain);
    await expectCode(
      () => decrypt(ct, { identities: [generateHybridIdentitySync()], backend }),
      "ERR_AGE_NO_MATCH",
    );
  });

  it("X25519 both ways", async () => {
    const id = await generateIdentity();
    const e = new typage.Encrypter();
    e.addRecipient(await identityToRecipient(id));
    expectBytes(await decrypt(await e.encrypt(plain), { identities: [id], backend }), plain);
    const d = new typage.Decrypter();
    d.addIdentity(id);
    const ct = await encrypt(plain, { recipients: [await identityToRecipient(id)], backend });
    expectBytes(await d.decrypt(ct), plain);
  });

  it("scrypt both ways (low work factor)", async () => {
    const e = new typage.Encrypter();
    e.setPassphrase("pw");
    e.setScryptWorkFactor(8);
    expectBytes(await decrypt(await e.encrypt(plain), { passphrase: "pw", backend }), plain);
    const d = new typage.Decrypter();
    d.addPassphrase("pw");
    expectBytes(await d.decrypt(await encrypt(plain, { passphrase: "pw", workFactor: 8, backend })), plain);
  });
});

// A fixed, unrelated hybrid identity (any 32-byte seed is valid).
function generateHybridIdentitySync(): string {
  return "AGE-SECRET-KEY-PQ-1XX76JRALNLXDMEW0CRK45QMCCH4X06SE84UN3VPM33W6HWDX0H3SK3ZQFR";
}
