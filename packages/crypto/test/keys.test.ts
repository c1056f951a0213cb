import { readFileSync } from "node:fs";
import { bech32 } from "@scure/base";
import { describe, expect, it, vi } from "vitest";
import {
  decodeIdentity,
  decodeRecipient,
  generateHybridIdentity,
  generateIdentity,
  identityToRecipient,
  parseIdentities,
  parseRecipients,
} from "../src/recipients/keys.js";
import { expectCode } from "./helpers.js";

const spec = JSON.parse(readFileSync(new URL("./fixtures/spec-keys.json", import.meta.url), "utf8")) as {
  vectors: { kind: string; identity: string; recipient: string }[];
};

describe("keys", () => {
  it.each(spec.vectors.map((v) => [v.kind, v] as const))("derives the spec's %s recipient", async (_k, v) => {
    expect(await identityToRecipient(v.identity)).toBe(v.recipient);
    const type = v.kind === "x25519" ? "X25519" : v.kind;
    expect(decodeRecipient(v.recipient).type).toBe(type);
    expect(decodeIdentity(v.identity).type).toBe(type);
    // Bech32 is case-insensitive as a whole (but never mixed).
    expect(await identityToRecipient(v.identity.toLowerCase())).toBe(v.recipient);
  });

  it("generates X25519 identities whose recipients parse", async () => {
    const id = await generateIdentity();
    expect(id).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    const r = await identityToRecipient(id);
    expect(r).toMatch(/^age1[0-9a-z]{58}$/);
    expect(await generateIdentity()).not.toBe(id);
  });

  it("generates hybrid identities with age1pq1 recipients longer than 90 characters", async () => {
    const id = await generateHybridIdentity();
    expect(id.startsWith("AGE-SECRET-KEY-PQ-1")).toBe(true);
    const r = await identityToRecipient(id);
    expect(r.startsWith("age1pq1")).toBe(true);
    expect(r.length).toBeGreaterThan(1900);
    expect(decodeRecipient(r).type).toBe("mlkem768x25519");
  });

  const x = spec.vectors[0] as { identity: string; recipient: string };
  it.each([
    ["mixed case", `${x.identity.slice(0, 20)}${x.identity.slice(20).toLowerCase()}`],
    ["bad checksum", `${x.identity.slice(0, -1)}${x.identity.endsWith("X") ? "Y" : "X"}`],
    ["a recipient", x.recipient],
    ["empty", ""],
    ["garbage", "hello"],
  ])("rejects identity: %s", async (_n, s) => {
    await expectCode(() => decodeIdentity(s), "ERR_AGE_KEY");
  });

  it.each([
    ["an identity", x.identity],
    ["bad checksum", `${x.recipient.slice(0, -1)}q`],
    ["wrong length (31 bytes)", bech32.encode("age", bech32.toWords(new Uint8Array(31).fill(9)), false)],
    ["unknown HRP", bech32.encode("agx", bech32.toWords(new Uint8Array(32).fill(9)), false)],
    ["garbage", "age1"],
    ["empty", ""],
  ])("rejects recipient: %s", async (_n, s) => {
    await expectCode(() => decodeRecipient(s), "ERR_AGE_KEY");
  });

  const ssh = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHsKLqeplhpW+uObz5dvMgjz1OxfM/XXUB+VHtZ6isGN";
  const pluginRecipient = bech32.encode("age1yubikey", bech32.toWords(new Uint8Array(33).fill(9)), false);
  it("keys of kinds age has but this library does not are ERR_AGE_KEY_UNSUPPORTED, alone or in a file", async () => {
    const pluginId = bech32
      .encode("age-plugin-yubikey-", bech32.toWords(new Uint8Array(16).fill(3)), false)
      .toUpperCase();
    await expectCode(() => decodeIdentity(pluginId), "ERR_AGE_KEY_UNSUPPORTED");
    await expectCode(() => decodeRecipient(pluginRecipient), "ERR_AGE_KEY_UNSUPPORTED");
    await expectCode(() => decodeRecipient(ssh), "ERR_AGE_KEY_UNSUPPORTED");
    const e = await expectCode(() => parseRecipients(`${x.recipient}\n${ssh}\n`), "ERR_AGE_KEY_UNSUPPORTED");
    expect(e.message).toContain("line 2");
    await expectCode(() => parseIdentities(`${pluginId}\n`), "ERR_AGE_KEY_UNSUPPORTED");
  });

  it("parses identity and recipient files, skipping comments and blank lines", () => {
    const text = `# created: today\n# public key: ${x.recipient}\n\n${x.identity}\r\n\n`;
    expect(parseIdentities(text)).toEqual([x.identity]);
    expect(parseRecipients(`# me\n${x.recipient}\n  \n${x.recipient}\n`)).toEqual([x.recipient, x.recipient]);
  });

  it("names the bad line in a key file and refuses an empty one", async () => {
    const e = await expectCode(() => parseIdentities(`# c\n${x.identity}\nnope\n`), "ERR_AGE_KEY");
    expect(e.message).toContain("line 3");
    await expectCode(() => parseRecipients("# only a comment\n"), "ERR_AGE_KEY");
  });

  it("never echoes key material in errors", async () => {
    const bad = `${x.identity.slice(0, -1)}Z`;
    const e = await expectCode(() => decodeIdentity(bad), "ERR_AGE_KEY");
    expect(e.message).not.toContain(bad.slice(15, 40));
  });
});

describe("keys are decoded once per operation", () => {
  it("a decrypt costs one X25519 multiplication for the identity's public key, plus one per stanza", async () => {
    const { getBackend } = await import("../src/backend/select.js");
    const { encrypt } = await import("../src/session/encrypt.js");
    const { decrypt } = await import("../src/session/decrypt.js");
    const id = await generateIdentity();
    const others = await Promise.all([generateIdentity(), generateIdentity()]);
    const recipients = await Promise.all([...others, id].map(identityToRecipient));
    const ct = await encrypt("x", { recipients });
    const native = getBackend("native");
    const portable = getBackend("portable");
    const spies = [vi.spyOn(native, "x25519"), vi.spyOn(portable, "x25519")];
    try {
      await decrypt(ct, { identities: [id] });
      const calls = spies.reduce((n, s) => n + s.mock.calls.length, 0);
      // One for the public key (used in every stanza's HKDF salt), one per stanza tried (3).
      expect(calls).toBe(4);
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });
});
