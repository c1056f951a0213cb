import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dms, haveAge, onTerminal, sh, tempDir, withTerminal } from "./helpers.js";

// Interop with the reference age CLI: skipped visibly where it is missing, required in CI
// (DMS_REQUIRE_TOOLS=1, see helpers.ts).
const AGE = "age";
const AGE_KEYGEN = "age-keygen";

describe.skipIf(!haveAge)("interop with age", () => {
  let t: { dir: string; cleanup: () => void };
  let ageKey: string;
  let ageRec: string;
  let dmsKey: string;
  let dmsRec: string;
  const plain = randomBytes(150_000);
  let plainPath: string;

  beforeAll(() => {
    t = tempDir("dms-interop-");
    ageKey = join(t.dir, "age.key");
    const g = sh(AGE_KEYGEN, ["-o", ageKey]);
    expect(g.status, g.stderr).toBe(0);
    ageRec = sh(AGE_KEYGEN, ["-y", ageKey]).out.trim();
    dmsKey = join(t.dir, "dms.key");
    expect(dms(["keygen", "-o", dmsKey]).status).toBe(0);
    dmsRec = dms(["keygen", "-y", dmsKey]).out.trim();
    plainPath = join(t.dir, "plain.bin");
    writeFileSync(plainPath, plain);
  });
  afterAll(() => t.cleanup());

  it("each reads the other's identity files to the same recipient", () => {
    expect(dms(["keygen", "-y", ageKey]).out.trim()).toBe(ageRec);
    expect(sh(AGE_KEYGEN, ["-y", dmsKey]).out.trim()).toBe(dmsRec);
  });

  it("age encrypts, dms decrypts (binary and armored)", () => {
    for (const armor of [[], ["-a"]]) {
      const enc = sh(AGE, [...armor, "-r", dmsRec], { input: plain });
      expect(enc.status, enc.stderr).toBe(0);
      const dec = dms(["decrypt", "-i", dmsKey], { input: enc.stdout });
      expect(dec.status, dec.stderr).toBe(0);
      expect(dec.stdout.equals(plain)).toBe(true);
    }
  });

  it("a 24 MiB file goes both ways, file to file", () => {
    const big = randomBytes(24 * 1024 * 1024 + 5);
    const src = join(t.dir, "big.bin");
    writeFileSync(src, big);
    const byDms = join(t.dir, "big.dms.age");
    const e = dms(["encrypt", "-r", ageRec, "-o", byDms, src]);
    expect(e.status, e.stderr).toBe(0);
    const back = join(t.dir, "big.back");
    const d = sh(AGE, ["-d", "-i", ageKey, "-o", back, byDms]);
    expect(d.status, d.stderr).toBe(0);
    expect(readFileSync(back).equals(big)).toBe(true);
    const byAge = join(t.dir, "big.age.age");
    const e2 = sh(AGE, ["-r", dmsRec, "-o", byAge, src]);
    expect(e2.status, e2.stderr).toBe(0);
    const back2 = join(t.dir, "big.back2");
    const d2 = dms(["decrypt", "-i", dmsKey, "-o", back2, byAge]);
    expect(d2.status, d2.stderr).toBe(0);
    expect(readFileSync(back2).equals(big)).toBe(true);
  });

  it("on two threads (forced for a 24 MiB file), to stdout both ways", () => {
    const big = randomBytes(24 * 1024 * 1024 + 5);
    const src = join(t.dir, "big2.bin");
    writeFileSync(src, big);
    const env = { DMS_CRYPTO_DUO_MIN: "1" };
    const e = dms(["encrypt", "-r", ageRec, src], { env });
    expect(e.status, e.stderr).toBe(0);
    const d = sh(AGE, ["-d", "-i", ageKey], { input: e.stdout });
    expect(d.status, d.stderr).toBe(0);
    expect(d.stdout.equals(big)).toBe(true);
    const byAge = join(t.dir, "big2.age");
    expect(sh(AGE, ["-r", dmsRec, "-o", byAge, src]).status).toBe(0);
    const back = dms(["decrypt", "-i", dmsKey, byAge], { env });
    expect(back.status, back.stderr).toBe(0);
    expect(back.stdout.equals(big)).toBe(true);
  });

  it("dms encrypts, age decrypts (binary and armored, -R file with both keys)", () => {
    const rfile = join(t.dir, "recipients.txt");
    writeFileSync(rfile, `# both\n${ageRec}\n${dmsRec}\n`);
    for (const armor of [[], ["-a"]]) {
      const enc = dms(["encrypt", ...armor, "-R", rfile], { input: plain });
      expect(enc.status, enc.stderr).toBe(0);
      const dec = sh(AGE, ["-d", "-i", ageKey], { input: enc.stdout });
      expect(dec.status, dec.stderr).toBe(0);
      expect(dec.stdout.equals(plain)).toBe(true);
    }
  });

  withTerminal("a passphrase file from dms decrypts in age at its prompt", () => {
    const pf = join(t.dir, "pass.txt");
    writeFileSync(pf, "interop passphrase\n");
    const enc = join(t.dir, "p-dms.age");
    expect(dms(["encrypt", "--passphrase-file", pf, "-o", enc, plainPath]).status).toBe(0);
    const out = join(t.dir, "p-dms.out");
    const r = onTerminal([AGE, "-d", "-o", out, enc], ["interop passphrase"]);
    expect(r.status, r.output).toBe(0);
    expect(readFileSync(out).equals(plain)).toBe(true);
  });

  withTerminal("age -p at its prompt decrypts in dms with --passphrase-file", () => {
    const enc = join(t.dir, "p-age.age");
    const r = onTerminal([AGE, "-p", "-o", enc, plainPath], ["from age", "from age"]);
    expect(r.status, r.output).toBe(0);
    const pf = join(t.dir, "pass-age.txt");
    writeFileSync(pf, "from age\n");
    const dec = dms(["decrypt", "--passphrase-file", pf], { input: readFileSync(enc) });
    expect(dec.status, dec.stderr).toBe(0);
    expect(dec.stdout.equals(plain)).toBe(true);
  });
});
