import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dms, errorCode, tempDir } from "./helpers.js";

let t: { dir: string; cleanup: () => void };
let key: string;
let rec: string;
let paramsPath: string;

beforeAll(() => {
  t = tempDir("dms-range-");
  key = join(t.dir, "key.txt");
  const g = dms(["keygen", "-o", key]);
  expect(g.status, g.stderr).toBe(0);
  rec = dms(["keygen", "-y", key]).out.trim();
  paramsPath = join(t.dir, "params.json");
  writeFileSync(paramsPath, '{"seed": 1}\n');
});
afterAll(() => t.cleanup());

describe("--range", () => {
  let file: string;
  let plain: Buffer;
  let sealed: string;
  beforeAll(() => {
    file = join(t.dir, "big.bin");
    plain = Buffer.alloc(300_000);
    for (let i = 0; i < plain.length; i++) plain[i] = (i * 7 + (i >> 8)) & 0xff;
    writeFileSync(file, plain);
    sealed = join(t.dir, "big.age");
    expect(dms(["encrypt", "-r", rec, "-o", sealed, file]).status).toBe(0);
  });

  it.each([
    [0, 10],
    [65530, 20],
    [65536, 65536],
    [131000, 100000],
    [299_990, 10],
    [0, 300_000],
  ])("OFFSET %i LENGTH %i matches the plaintext", (offset, length) => {
    const r = dms(["decrypt", "-i", key, "--range", `${offset}:${length}`, sealed]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.equals(plain.subarray(offset, offset + length))).toBe(true);
  });

  it("a length past the end is cut at the end; -o writes the range to a file", () => {
    const out = join(t.dir, "range.out");
    const r = dms(["decrypt", "-i", key, "--range", "299000:5000", "-o", out, sealed]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out).equals(plain.subarray(299000))).toBe(true);
  });

  it("an armored file works too (decrypted as a stream, since armor has no random access)", () => {
    const armored = join(t.dir, "big.age.txt");
    expect(dms(["encrypt", "-a", "-r", rec, "-o", armored, file]).status).toBe(0);
    const r = dms(["decrypt", "-i", key, "--range", "65530:70000", armored]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.equals(plain.subarray(65530, 65530 + 70000))).toBe(true);
    const past = dms(["decrypt", "-i", key, "--range", "300001:1", armored]);
    expect(errorCode(past.stderr)).toBe("ERR_DMS_USAGE");
  });

  it("a wrong key is ERR_AGE_NO_MATCH", () => {
    const other = join(t.dir, "other.key");
    dms(["keygen", "-o", other]);
    const r = dms(["decrypt", "-i", other, "--range", "0:10", sealed]);
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_AGE_NO_MATCH");
    expect(r.stdout.length).toBe(0);
  });

  it("an offset past the end is ERR_DMS_USAGE", () => {
    const r = dms(["decrypt", "-i", key, "--range", "300001:1", sealed]);
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_DMS_USAGE");
  });
});

describe("inspect", () => {
  it("describes a binary file without a key, as text and JSON", () => {
    const file = join(t.dir, "params.age");
    expect(dms(["encrypt", "-r", rec, "-o", file, paramsPath]).status).toBe(0);
    const text = dms(["inspect", file]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.out).toContain("X25519");
    expect(text.out).toContain("is an age file");
    const j = dms(["inspect", "--json", file]);
    expect(j.status).toBe(0);
    const info = JSON.parse(j.out);
    expect(info.armored).toBe(false);
    expect(info.stanzas.map((s: { type: string }) => s.type)).toEqual(["X25519"]);
    expect(info.plaintextBytes).toBe(statSync(paramsPath).size);
    expect(info.headerBytes + info.payloadBytes).toBe(statSync(file).size);
  });

  it("reports armor and scrypt", () => {
    const pf = join(t.dir, "pw.txt");
    writeFileSync(pf, "pw\n");
    const file = join(t.dir, "pw.age");
    expect(dms(["encrypt", "-a", "--passphrase-file", pf, "-o", file, paramsPath]).status).toBe(0);
    const info = JSON.parse(dms(["inspect", "--json", file]).out);
    expect(info.armored).toBe(true);
    expect(info.stanzas[0].type).toBe("scrypt");
    expect(info.stanzas[0].workFactor).toBe(18);
    expect(info.fileBytes).toBe(statSync(file).size);
    expect(dms(["inspect", file]).out).toContain("passphrase (scrypt, work factor 18)");
  });

  it("a file that is not age is refused with a header or armor code", () => {
    const r = dms(["inspect", paramsPath]);
    expect(r.status).toBe(1);
    // @dms/crypto reports text that is neither binary age nor armor as ERR_AGE_ARMOR (reported to it).
    expect(errorCode(r.stderr)).toMatch(/^ERR_AGE_(HEADER|ARMOR)$/);
  });
});
