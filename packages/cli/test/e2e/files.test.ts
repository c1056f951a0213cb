import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dms, errorCode, keygen, sh, tempDir, withAge } from "./helpers.js";

let t: { dir: string; cleanup: () => void };
let keyA: string;
let keyB: string;
let recA: string;
let recB: string;
const plain = randomBytes(200_000);
let plainPath: string;

beforeAll(() => {
  t = tempDir();
  ({ path: keyA, recipient: recA } = keygen(t.dir, "a.key"));
  ({ path: keyB, recipient: recB } = keygen(t.dir, "b.key"));
  plainPath = join(t.dir, "plain.bin");
  writeFileSync(plainPath, plain);
});
afterAll(() => t.cleanup());

describe("keygen", () => {
  it("writes age's identity file format with mode 0600", () => {
    const text = readFileSync(keyA, "utf8");
    expect(text).toMatch(
      /^# created: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n# public key: age1[0-9a-z]{58}\nAGE-SECRET-KEY-1[0-9A-Z]{58}\n$/,
    );
    expect(text).toContain(`# public key: ${recA}\n`);
    expect(statSync(keyA).mode & 0o777).toBe(0o600);
  });

  it("refuses to overwrite an existing -o file and leaves it as it was", () => {
    const before = readFileSync(keyA, "utf8");
    const r = dms(["keygen", "-o", keyA]);
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_DMS_EXISTS");
    expect(readFileSync(keyA, "utf8")).toBe(before);
  });

  it("writes to stdout without -o", () => {
    const r = dms(["keygen"]);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^# created: .*\n# public key: age1.*\nAGE-SECRET-KEY-1.*\n$/);
    expect(r.stderr).toMatch(/^Public key: age1/);
  });

  it("-y prints the recipient of each key, from a file or stdin", () => {
    expect(dms(["keygen", "-y", keyA]).out).toBe(`${recA}\n`);
    expect(dms(["keygen", "-y"], { input: readFileSync(keyB) }).out).toBe(`${recB}\n`);
    expect(dms(["keygen", "-y", "-"], { input: readFileSync(keyB) }).out).toBe(`${recB}\n`);
    const both = `${readFileSync(keyA, "utf8")}\n# another\n${readFileSync(keyB, "utf8")}`;
    expect(dms(["keygen", "-y"], { input: both }).out).toBe(`${recA}\n${recB}\n`);
  });

  it("-y on something that is not an identity file fails with ERR_AGE_KEY", () => {
    const r = dms(["keygen", "-y"], { input: "not a key\n" });
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_AGE_KEY");
  });

  it("--pq makes a post-quantum identity whose recipient is age1pq1", () => {
    const r = dms(["keygen", "--pq"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.out).toMatch(/\nAGE-SECRET-KEY-PQ-1[0-9A-Z]+\n$/);
    expect(r.stderr).toMatch(/^Public key: age1pq1/);
  });
});

describe("encrypt / decrypt", () => {
  it("round trips file to file", () => {
    const enc = join(t.dir, "f2f.age");
    const out = join(t.dir, "f2f.out");
    expect(dms(["encrypt", "-r", recA, "-o", enc, plainPath]).status).toBe(0);
    expect(readFileSync(enc).subarray(0, 22).toString()).toBe("age-encryption.org/v1\n");
    const r = dms(["decrypt", "-i", keyA, "-o", out, enc]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out).equals(plain)).toBe(true);
  });

  it("round trips stdin to stdout, with '-' too", () => {
    const enc = dms(["encrypt", "-r", recA], { input: plain });
    expect(enc.status, enc.stderr).toBe(0);
    const dec = dms(["decrypt", "-i", keyA, "-o", "-", "-"], { input: enc.stdout });
    expect(dec.status, dec.stderr).toBe(0);
    expect(dec.stdout.equals(plain)).toBe(true);
  });

  it("stdin to -o FILE and FILE to stdout", () => {
    const enc = join(t.dir, "stdin.age");
    const r = dms(["encrypt", "-r", recA, "-o", enc], { input: plain });
    expect(r.status, r.stderr).toBe(0);
    const dec = dms(["decrypt", "-i", keyA, enc]);
    expect(dec.status, dec.stderr).toBe(0);
    expect(dec.stdout.equals(plain)).toBe(true);
    expect(readdirSync(t.dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  withAge("every -o file gets the same mode, file or stdin input, as age -o gives (umask applied)", () => {
    const out = (n: string) => join(t.dir, `mode-${n}`);
    expect(dms(["encrypt", "-r", recA, "-o", out("f.age"), plainPath]).status).toBe(0);
    expect(dms(["encrypt", "-r", recA, "-o", out("s.age")], { input: plain }).status).toBe(0);
    expect(dms(["decrypt", "-i", keyA, "-o", out("f.out"), out("f.age")]).status).toBe(0);
    expect(
      dms(["decrypt", "-i", keyA, "-o", out("s.out")], { input: readFileSync(out("f.age")) }).status,
    ).toBe(0);
    expect(sh("age", ["-r", recA, "-o", out("age.age"), plainPath]).status).toBe(0);
    const ageMode = statSync(out("age.age")).mode & 0o777;
    const modes = ["f.age", "s.age", "f.out", "s.out"].map((n) => statSync(out(n)).mode & 0o777);
    expect(modes).toEqual([ageMode, ageMode, ageMode, ageMode]);
  });

  it("round trips an empty input", () => {
    const enc = dms(["encrypt", "-r", recA], { input: "" });
    expect(enc.status).toBe(0);
    const dec = dms(["decrypt", "-i", keyA], { input: enc.stdout });
    expect(dec.status, dec.stderr).toBe(0);
    expect(dec.stdout.length).toBe(0);
  });

  it("-R files (comments, several recipients) and several -i files", () => {
    const rfile = join(t.dir, "recipients.txt");
    writeFileSync(rfile, `# team keys\n${recA}\n\n# backup\n${recB}\n`);
    const enc = dms(["encrypt", "-R", rfile], { input: plain });
    expect(enc.status, enc.stderr).toBe(0);
    for (const k of [keyA, keyB]) {
      const dec = dms(["decrypt", "-i", k], { input: enc.stdout });
      expect(dec.status, dec.stderr).toBe(0);
      expect(dec.stdout.equals(plain)).toBe(true);
    }
    // One identity file holding an unrelated key, with comments, plus the right one in a second -i.
    const other = dms(["keygen"]).out;
    const ifile = join(t.dir, "ids.txt");
    writeFileSync(ifile, `# unrelated\n${other}\n`);
    const only = dms(["encrypt", "-r", recB], { input: plain });
    const dec = dms(["decrypt", "-i", ifile, "-i", keyB], { input: only.stdout });
    expect(dec.status, dec.stderr).toBe(0);
    expect(dec.stdout.equals(plain)).toBe(true);
  });

  it("-r and -R together encrypt to the union", () => {
    const rfile = join(t.dir, "just-b.txt");
    writeFileSync(rfile, `${recB}\n`);
    const enc = dms(["encrypt", "-r", recA, "-R", rfile], { input: "x" });
    expect(dms(["decrypt", "-i", keyA], { input: enc.stdout }).out).toBe("x");
    expect(dms(["decrypt", "-i", keyB], { input: enc.stdout }).out).toBe("x");
  });

  it("a post-quantum key pair round trips, and keys plus a passphrase file may be given together", () => {
    const pqKey = join(t.dir, "pq.key");
    const g = dms(["keygen", "--pq", "-o", pqKey]);
    expect(g.status, g.stderr).toBe(0);
    const pqRec = dms(["keygen", "-y", pqKey]).out.trim();
    expect(pqRec.startsWith("age1pq1")).toBe(true);
    const enc = dms(["encrypt", "-r", pqRec], { input: plain });
    expect(enc.status, enc.stderr).toBe(0);
    const pf = join(t.dir, "unused-pass.txt");
    writeFileSync(pf, "not needed\n");
    const dec = dms(["decrypt", "-i", pqKey, "--passphrase-file", pf], { input: enc.stdout });
    expect(dec.status, dec.stderr).toBe(0);
    expect(dec.stdout.equals(plain)).toBe(true);
  });

  it("-a writes armored text that decrypts from stdin and from a file", () => {
    const enc = dms(["encrypt", "-a", "-r", recA], { input: plain });
    expect(enc.status).toBe(0);
    expect(enc.out.startsWith("-----BEGIN AGE ENCRYPTED FILE-----\n")).toBe(true);
    expect(enc.out.trimEnd().endsWith("-----END AGE ENCRYPTED FILE-----")).toBe(true);
    expect(dms(["decrypt", "-i", keyA], { input: enc.stdout }).stdout.equals(plain)).toBe(true);
    const f = join(t.dir, "armored.age");
    writeFileSync(f, enc.stdout);
    const out = join(t.dir, "armored.out");
    expect(dms(["decrypt", "-i", keyA, "-o", out, f]).status).toBe(0);
    expect(readFileSync(out).equals(plain)).toBe(true);
  });

  it("--passphrase-file encrypts and decrypts (first line, newline stripped)", () => {
    const pf = join(t.dir, "pass.txt");
    writeFileSync(pf, "correct horse battery staple\nignored second line\n");
    const enc = dms(["encrypt", "--passphrase-file", pf], { input: plain });
    expect(enc.status, enc.stderr).toBe(0);
    expect(enc.stdout.subarray(0, 32).toString("latin1")).toContain("-> scrypt ");
    const pf2 = join(t.dir, "pass2.txt");
    writeFileSync(pf2, "correct horse battery staple");
    const dec = dms(["decrypt", "--passphrase-file", pf2], { input: enc.stdout });
    expect(dec.status, dec.stderr).toBe(0);
    expect(dec.stdout.equals(plain)).toBe(true);
    const wrong = join(t.dir, "wrong.txt");
    writeFileSync(wrong, "incorrect\n");
    const bad = dms(["decrypt", "--passphrase-file", wrong], { input: enc.stdout });
    expect(bad.status).toBe(1);
    expect(errorCode(bad.stderr)).toMatch(/^ERR_AGE_/);
    expect(bad.stdout.length).toBe(0);
  });

  it("an empty passphrase file is refused with ERR_DMS_PASSPHRASE", () => {
    const pf = join(t.dir, "empty-pass.txt");
    writeFileSync(pf, "\n");
    const r = dms(["encrypt", "--passphrase-file", pf], { input: "x" });
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_DMS_PASSPHRASE");
  });

  it("a passphrase-encrypted input with no key and no terminal fails with ERR_DMS_NO_TERMINAL", () => {
    const pf = join(t.dir, "pass3.txt");
    writeFileSync(pf, "pw\n");
    const enc = dms(["encrypt", "--passphrase-file", pf], { input: "x" });
    const r = dms(["decrypt"], { input: enc.stdout });
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_DMS_NO_TERMINAL");
    const rec = dms(["encrypt", "-r", recA], { input: "x" });
    const r2 = dms(["decrypt"], { input: rec.stdout });
    expect(errorCode(r2.stderr)).toBe("ERR_DMS_USAGE");
    expect(r2.stderr).toContain("-i FILE");
  });
});
