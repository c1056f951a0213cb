import { describe, expect, it } from "vitest";
import { parseIdentities, parseRecipients } from "../src/recipients/keys.js";
import { encrypt } from "../src/session/encrypt.js";

const sshPrivate =
  "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";

describe("key files age accepts but this library does not are named as such", () => {
  it("an SSH private key given as an identity file", () => {
    expect(() => parseIdentities(sshPrivate)).toThrow(
      expect.objectContaining({ code: "ERR_AGE_KEY_UNSUPPORTED" }),
    );
    expect(() => parseIdentities(sshPrivate)).toThrow(/SSH key/);
  });

  it("a passphrase-protected (age-encrypted) identity file, binary or armored", async () => {
    const enc = await encrypt(new TextEncoder().encode("AGE-SECRET-KEY-1..."), {
      passphrase: "pw",
      workFactor: 10,
    });
    const armored = await encrypt(new TextEncoder().encode("x"), {
      passphrase: "pw",
      workFactor: 10,
      armor: true,
    });
    for (const text of [new TextDecoder("latin1").decode(enc), new TextDecoder().decode(armored)]) {
      expect(() => parseIdentities(text)).toThrow(
        expect.objectContaining({ code: "ERR_AGE_KEY_UNSUPPORTED" }),
      );
      expect(() => parseIdentities(text)).toThrow(/passphrase-protected/);
    }
  });

  it("an SSH public key in a recipients file", () => {
    expect(() => parseRecipients("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE user@host\n")).toThrow(
      expect.objectContaining({ code: "ERR_AGE_KEY_UNSUPPORTED" }),
    );
  });

  it("a plainly bad line is still ERR_AGE_KEY", () => {
    expect(() => parseIdentities("AGE-SECRET-KEY-1NOTVALID\n")).toThrow(
      expect.objectContaining({ code: "ERR_AGE_KEY" }),
    );
  });
});
