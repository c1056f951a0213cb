import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspect } from "../src/fs/access.js";
import { generateHybridIdentity, generateIdentity, identityToRecipient } from "../src/recipients/keys.js";
import { encrypt } from "../src/session/encrypt.js";
import { cleanup, tempDir } from "./fixtures/archive/helpers.js";
import { hasAgeCli } from "./helpers.js";

const AGE = "age";
const withAge = it.skipIf(!hasAgeCli());
let base: string;
let r1: string;
let r2: string;
beforeAll(async () => {
  base = await tempDir("dms-inspect-");
  r1 = await identityToRecipient(await generateIdentity());
  r2 = await identityToRecipient(await generateIdentity());
});
afterAll(async () => {
  await cleanup(base);
});

function headerLength(ct: Uint8Array): number {
  const t = Buffer.from(ct).toString("latin1");
  return t.indexOf("\n", t.indexOf("\n---") + 1) + 1;
}

describe("inspect", () => {
  it("X25519 with two recipients, from bytes and from a path", async () => {
    const ct = await encrypt(new Uint8Array(70_000), { recipients: [r1, r2] });
    const p = join(base, "x.age");
    await writeFile(p, ct);
    for (const src of [ct, p]) {
      const info = await inspect(src);
      expect(info).toEqual({
        armored: false,
        stanzas: [
          { type: "X25519", args: [] },
          { type: "X25519", args: [] },
        ],
        headerBytes: headerLength(ct),
        payloadBytes: ct.length - headerLength(ct),
        plaintextBytes: 70_000,
        fileBytes: ct.length,
      });
    }
  });

  it("never shows stanza bodies or ephemeral shares", async () => {
    const ct = await encrypt(new Uint8Array(1), { recipients: [r1] });
    const text = Buffer.from(ct).toString("latin1");
    const share = (/-> X25519 (\S+)/.exec(text) as RegExpExecArray)[1] as string;
    const body = text.split("\n")[2] as string;
    const shown = JSON.stringify(await inspect(ct));
    expect(shown).not.toContain(share);
    expect(shown).not.toContain(body);
  });

  it("scrypt shows its work factor", async () => {
    const ct = await encrypt(new Uint8Array(10), { passphrase: "pw", workFactor: 10 });
    const info = await inspect(ct);
    expect(info.stanzas).toEqual([{ type: "scrypt", args: [], workFactor: 10 }]);
    expect(info.plaintextBytes).toBe(10);
  });

  withAge("armored input reports the binary sizes and the armored file size", async () => {
    const bin = await encrypt(new Uint8Array(200_000), { recipients: [r1] });
    const armored = execFileSync(AGE, ["-a", "-r", r1], { input: Buffer.alloc(200_000) });
    const p = join(base, "a.age");
    await writeFile(p, armored);
    for (const src of [armored, p]) {
      const info = await inspect(typeof src === "string" ? src : new Uint8Array(src));
      expect(info.armored).toBe(true);
      expect(info.stanzas).toEqual([{ type: "X25519", args: [] }]);
      expect(info.plaintextBytes).toBe(200_000);
      expect(info.fileBytes).toBe(armored.length);
      expect(info.payloadBytes).toBe(bin.length - headerLength(bin));
    }
  });

  it("post-quantum hybrid recipients", async () => {
    const pq = await identityToRecipient(await generateHybridIdentity());
    const ct = await encrypt(new Uint8Array(5), { recipients: [pq] });
    const info = await inspect(ct);
    expect(info.stanzas).toEqual([{ type: "mlkem768x25519", args: [] }]);
    expect(info.plaintextBytes).toBe(5);
  });

  it("shows the arguments of unknown stanza types", async () => {
    const ct = await encrypt(new Uint8Array(3), { recipients: [r1] });
    const nl = ct.indexOf(0x0a) + 1;
    const extra = Buffer.from("-> example.com/plugin abc 42\n\n");
    const forged = Buffer.concat([ct.subarray(0, nl), extra, ct.subarray(nl)]);
    const info = await inspect(forged);
    expect(info.stanzas).toEqual([
      { type: "example.com/plugin", args: ["abc", "42"] },
      { type: "X25519", args: [] },
    ]);
    expect(info.plaintextBytes).toBe(3);
  });

  withAge("files made by the age CLI", async () => {
    const ct = execFileSync(AGE, ["-r", r1, "-r", r2], { input: Buffer.alloc(65536) });
    const info = await inspect(new Uint8Array(ct));
    expect(info.stanzas.map((s) => s.type)).toEqual(["X25519", "X25519"]);
    expect(info.plaintextBytes).toBe(65536);
  });

  it("errors: truncated header, impossible payload, garbage, missing file", async () => {
    const ct = await encrypt(new Uint8Array(3), { recipients: [r1] });
    const h = headerLength(ct);
    await expect(inspect(ct.subarray(0, h - 3))).rejects.toMatchObject({ code: "ERR_AGE_HEADER" });
    await expect(inspect(ct.subarray(0, h + 8))).rejects.toMatchObject({ code: "ERR_AGE_HEADER" });
    await expect(inspect(ct.subarray(0, h + 16))).rejects.toMatchObject({ code: "ERR_AGE_PAYLOAD" });
    await expect(inspect(new Uint8Array(0))).rejects.toMatchObject({ code: "ERR_AGE_HEADER" });
    await expect(inspect(Buffer.from("hello world"))).rejects.toMatchObject({ code: "ERR_AGE_ARMOR" });
    await expect(inspect(join(base, "missing.age"))).rejects.toMatchObject({
      code: "ERR_AGE_IO",
      errno: "ENOENT",
    });
  });
});
