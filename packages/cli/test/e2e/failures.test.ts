import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dms, errorCode, keygen, onTerminal, tempDir, withTerminal } from "./helpers.js";

let t: { dir: string; cleanup: () => void };
let keyA: string;
let keyB: string;
let recA: string;
const plain = randomBytes(200_000);
let plainPath: string;

beforeAll(() => {
  t = tempDir("dms-fail-");
  ({ path: keyA, recipient: recA } = keygen(t.dir, "a.key"));
  keyB = keygen(t.dir, "b.key").path;
  plainPath = join(t.dir, "plain.bin");
  writeFileSync(plainPath, plain);
});
afterAll(() => t.cleanup());

describe("failures", () => {
  it("a wrong key exits 1 with one line ending in (ERR_AGE_NO_MATCH)", () => {
    const enc = dms(["encrypt", "-r", recA], { input: plain });
    const r = dms(["decrypt", "-i", keyB], { input: enc.stdout });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^dms: error: .+ \(ERR_AGE_NO_MATCH\)\n$/);
    expect(r.stdout.length).toBe(0);
  });

  it("a failed decryption with -o leaves no output file (file and stdin input) and no temp files", () => {
    const dir = join(t.dir, "nofile");
    const enc = dms(["encrypt", "-r", recA, "-o", join(t.dir, "nofile.age"), plainPath]);
    expect(enc.status).toBe(0);
    const good = readFileSync(join(t.dir, "nofile.age"));
    const damaged = Buffer.from(good);
    damaged[damaged.length - 100] = (damaged[damaged.length - 100] as number) ^ 1;
    const damagedPath = join(t.dir, "damaged.age");
    writeFileSync(damagedPath, damaged);
    mkdirSync(dir, { recursive: true });
    const cases: [string[], Uint8Array | undefined, string][] = [
      [["-i", keyB, "-o", join(dir, "a"), join(t.dir, "nofile.age")], undefined, "ERR_AGE_NO_MATCH"],
      [["-i", keyA, "-o", join(dir, "b"), damagedPath], undefined, "ERR_AGE_PAYLOAD"],
      [["-i", keyA, "-o", join(dir, "c")], damaged, "ERR_AGE_PAYLOAD"],
      [["-i", keyA, "-o", join(dir, "d")], good.subarray(0, good.length - 10), "ERR_AGE_PAYLOAD"],
    ];
    for (const [args, input, code] of cases) {
      const r = dms(["decrypt", ...args], input ? { input } : {});
      expect(r.status).toBe(1);
      expect(errorCode(r.stderr)).toBe(code);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a failed decryption leaves an existing -o file untouched", () => {
    const target = join(t.dir, "keep.txt");
    writeFileSync(target, "precious");
    const enc = dms(["encrypt", "-r", recA], { input: plain });
    const r = dms(["decrypt", "-i", keyB, "-o", target], { input: enc.stdout });
    expect(r.status).toBe(1);
    expect(readFileSync(target, "utf8")).toBe("precious");
  });

  it("an input that is not age is refused with a header or armor code", () => {
    const r = dms(["decrypt", "-i", keyA], { input: "hello world, not encrypted\n" });
    expect(r.status).toBe(1);
    // @dms/crypto reports text that is neither binary age nor armor as ERR_AGE_ARMOR (reported to it).
    expect(errorCode(r.stderr)).toMatch(/^ERR_AGE_(HEADER|ARMOR)$/);
    expect(r.stdout.length).toBe(0);
  });

  it("random binary input is 'not an age file' (ERR_AGE_NOT_AGE), not an armor complaint", () => {
    const r = dms(["decrypt", "-i", keyA], {
      input: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 73 + 11) % 256)),
    });
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_AGE_NOT_AGE");
    expect(r.stderr).toContain("not an age file");
  });

  it("a bad recipient string is ERR_AGE_KEY", () => {
    const r = dms(["encrypt", "-r", "age1notakey"], { input: "x" });
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_AGE_KEY");
  });
});

describe("on a terminal", () => {
  withTerminal("-p asks twice without echo, and decrypt detects scrypt and asks once", () => {
    const enc = join(t.dir, "p.age");
    const out = join(t.dir, "p.out");
    const pw = "s3cret pässphrase";
    const e = onTerminal(["node", "bin/dms.js", "encrypt", "-p", "-o", enc, plainPath], [pw, pw]);
    expect(e.status, e.output).toBe(0);
    expect(e.output).toContain("Enter passphrase:");
    expect(e.output).toContain("Confirm passphrase:");
    expect(e.output).not.toContain(pw);
    const d = onTerminal(["node", "bin/dms.js", "decrypt", "-o", out, enc], [pw]);
    expect(d.status, d.output).toBe(0);
    expect(d.output).not.toContain(pw);
    expect(readFileSync(out).equals(plain)).toBe(true);
  });

  withTerminal("-p with two different answers fails with ERR_DMS_PASSPHRASE and writes nothing", () => {
    const enc = join(t.dir, "mismatch.age");
    const e = onTerminal(["node", "bin/dms.js", "encrypt", "-p", "-o", enc, plainPath], ["one", "two"]);
    expect(e.status).toBe(1);
    expect(e.output).toContain("(ERR_DMS_PASSPHRASE)");
    expect(existsSync(enc)).toBe(false);
  });

  withTerminal("draws a progress bar on a terminal once work runs past a second, and clears it", () => {
    // The pause in the input guarantees the work outlasts the bar's one-second delay.
    const out = join(t.dir, "slow.age");
    const cmd = `(head -c 3000000 /dev/zero; sleep 1.5; head -c 3000000 /dev/zero) | node bin/dms.js encrypt -r ${recA} -o ${out}`;
    const r = onTerminal(["sh", "-c", cmd]);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(/encrypting \d/);
    expect(r.output.endsWith("\r\u001b[K")).toBe(true);
    expect(statSync(out).size).toBeGreaterThan(6_000_000);
  });

  withTerminal("armored output is allowed on a terminal", () => {
    const e = onTerminal(["node", "bin/dms.js", "encrypt", "-a", "-r", recA, plainPath]);
    expect(e.status, e.output).toBe(0);
    expect(e.output).toContain("-----BEGIN AGE ENCRYPTED FILE-----");
  });
});
