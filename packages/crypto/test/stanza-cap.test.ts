// One stanza cap on both sides: whatever encrypts also decrypts (age 1.1.1 decrypts 1101 recipients).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_STANZAS } from "../src/format/limits.js";
import { generateIdentity, identityToRecipient } from "../src/recipients/keys.js";
import { decrypt } from "../src/session/decrypt.js";
import { encrypt } from "../src/session/encrypt.js";
import { hasAgeCli } from "./helpers.js";

const withAge = it.skipIf(!hasAgeCli());

describe("the stanza cap", () => {
  it("1101 recipients encrypt and decrypt, as with age", async () => {
    const id = await generateIdentity();
    const others = await identityToRecipient(await generateIdentity());
    const recipients = [...Array(1100).fill(others), await identityToRecipient(id)];
    const ct = await encrypt(new TextEncoder().encode("many"), { recipients });
    expect(new TextDecoder().decode(await decrypt(ct, { identities: [id] }))).toBe("many");
  }, 60_000);

  it(`MAX_STANZAS (${MAX_STANZAS}) recipients round-trip; one more is refused when encrypting`, async () => {
    const id = await generateIdentity();
    const r = await identityToRecipient(id);
    const ct = await encrypt(new Uint8Array(1), { recipients: Array(MAX_STANZAS).fill(r) });
    expect(await decrypt(ct, { identities: [id] })).toEqual(new Uint8Array(1));
    await expect(
      encrypt(new Uint8Array(1), { recipients: Array(MAX_STANZAS + 1).fill(r) }),
    ).rejects.toMatchObject({
      code: "ERR_AGE_USAGE",
    });
  }, 120_000);

  withAge(
    "age decrypts a 1101-recipient file we wrote",
    async () => {
      const id = await generateIdentity();
      const r = await identityToRecipient(id);
      const ct = await encrypt(new TextEncoder().encode("ok"), { recipients: Array(1101).fill(r) });
      const dir = mkdtempSync(join(tmpdir(), "dms-cap-"));
      try {
        writeFileSync(join(dir, "k"), `${id}\n`);
        writeFileSync(join(dir, "f.age"), ct);
        expect(execFileSync("age", ["-d", "-i", join(dir, "k"), join(dir, "f.age")]).toString()).toBe("ok");
      } finally {
        rmSync(dir, { recursive: true });
      }
    },
    60_000,
  );
});
