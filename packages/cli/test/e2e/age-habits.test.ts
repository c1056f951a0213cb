// Habits an age user brings: age's own command line, --version, -e -i, -o -, one hint per error.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dms, errorCode, keygen, onTerminal, pkgDir, sh, tempDir, withTerminal } from "./helpers.js";

let t: { dir: string; cleanup: () => void };
let key: string;
let rec: string;
let file: string;
beforeAll(() => {
  t = tempDir("dms-habits-");
  ({ path: key, recipient: rec } = keygen(t.dir, "key.txt"));
  file = join(t.dir, "in.txt");
  writeFileSync(file, "job input\n");
});
afterAll(() => t.cleanup());

describe("age habits", () => {
  it("--version prints the package version", () => {
    const r = dms(["--version"]);
    expect(r.status).toBe(0);
    const { version } = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { version: string };
    expect(r.out).toBe(`v${version}\n`);
  });

  it("dms -e -i KEY encrypts to the key's recipient, and dms -d -i KEY decrypts, flags in any order", () => {
    const enc = dms(["-a", "-i", key, "-e", file]);
    expect(enc.status, enc.stderr).toBe(0);
    expect(enc.out).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----/);
    const dec = dms(["-d", "-i", key], { input: enc.stdout });
    expect(dec.status, dec.stderr).toBe(0);
    expect(dec.out).toBe("job input\n");
    expect(errorCode(dms(["-e", "-d", "-i", key, file]).stderr)).toBe("ERR_DMS_USAGE");
    // A flag's value is never a mode: '-o -d' is about -o's value (written --output=-d), not -e with -d.
    const named = dms(["-e", "-i", key, "-o", "-d", file], { cwd: t.dir });
    expect(errorCode(named.stderr)).toBe("ERR_DMS_USAGE");
    expect(named.stderr).toContain("--output=-XYZ");
    expect(dms(["-e", "-i", key, "--output=-d", file], { cwd: t.dir }).status).toBe(0);
    expect(dms(["-d", "-i", key, join(t.dir, "-d")]).out).toBe("job input\n");
  });

  it("with no mode flag dms encrypts, as age does; -i alone is refused with age's hint to add -d", () => {
    const enc = dms(["-r", rec, "-a", file]);
    expect(enc.status, enc.stderr).toBe(0);
    expect(enc.out).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----/);
    expect(dms(["-d", "-i", key], { input: enc.stdout }).out).toBe("job input\n");
    const r = dms(["-i", key, file]);
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_DMS_USAGE");
    expect(r.stderr).toContain("add -d");
  });

  it("an SSH key or a passphrase-protected identity file given to -i is named, with the file", () => {
    const ssh = join(t.dir, "id_ed25519");
    writeFileSync(
      ssh,
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n",
    );
    const r = dms(["-d", "-i", ssh, file]);
    expect(errorCode(r.stderr)).toBe("ERR_AGE_KEY_UNSUPPORTED");
    expect(r.stderr).toContain(`${ssh}: `);
    expect(r.stderr).toMatch(/SSH/);
    writeFileSync(join(t.dir, "kpw"), "key passphrase\n");
    const locked = join(t.dir, "key.txt.age");
    const enc = dms(["-e", "--passphrase-file", join(t.dir, "kpw"), "-o", locked, key]);
    expect(enc.status, enc.stderr).toBe(0);
    const p = dms(["-d", "-i", locked, file]);
    expect(errorCode(p.stderr)).toBe("ERR_AGE_KEY_UNSUPPORTED");
    expect(p.stderr).toContain(`${locked}: `);
    expect(p.stderr).toMatch(/passphrase-protected/);
  });

  it("standard input named twice (-i - while the input is stdin) is refused, as age refuses it", () => {
    const enc = dms(["encrypt", "-r", rec, "-a", file]);
    const r = dms(["decrypt", "-i", "-"], { input: enc.stdout });
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toBe("ERR_DMS_USAGE");
    // The same rule for every flag that can read standard input, in both modes.
    const keyText = readFileSync(key);
    for (const args of [
      ["-e", "-i", "-"],
      ["-e", "-R", "-"],
      ["-e", "-R", "-", "-i", "-", file],
      ["-d", "--passphrase-file", "-"],
    ]) {
      const q = dms(args, { input: keyText });
      expect(errorCode(q.stderr), args.join(" ")).toBe("ERR_DMS_USAGE");
      expect(q.stderr).toContain("standard input is used for more than one purpose");
      expect(q.stdout.length).toBe(0);
    }
    // One use is fine: the key from stdin, the input a file.
    const one = dms(["-e", "-i", "-", "-a", file], { input: keyText });
    expect(one.status, one.stderr).toBe(0);
    expect(dms(["-d", "-i", key], { input: one.stdout }).out).toBe("job input\n");
  });

  it("a wrong key or passphrase gets one hint, not two", () => {
    const other = keygen(t.dir, "other.txt");
    const enc = dms(["encrypt", "-r", rec, "-a", file]);
    const r = dms(["decrypt", "-i", other.path], { input: enc.stdout });
    expect(errorCode(r.stderr)).toBe("ERR_AGE_NO_MATCH");
    expect(r.stderr.split("; ")).toHaveLength(2);
    writeFileSync(join(t.dir, "pw"), "right\n");
    writeFileSync(join(t.dir, "pw2"), "wrong\n");
    const penc = dms(["encrypt", "--passphrase-file", join(t.dir, "pw"), "-a", file]);
    const p = dms(["decrypt", "--passphrase-file", join(t.dir, "pw2")], { input: penc.stdout });
    expect(p.stderr).toMatch(/wrong passphrase/);
    expect(p.stderr.split("; ")).toHaveLength(2);
  });

  it("keygen --json, and volume verify/size --json", () => {
    const k = dms(["keygen", "--json"]);
    const doc = JSON.parse(k.out) as { recipient: string; identity: string };
    expect(doc.recipient).toMatch(/^age1/);
    expect(doc.identity).toMatch(/^AGE-SECRET-KEY-1/);
    const root = join(t.dir, "root");
    const path = dms(["volume", "create", "job", "--root", root]).out.trim();
    writeFileSync(join(path, "f"), "12345");
    expect(JSON.parse(dms(["volume", "size", path, "--root", root, "--json"]).out)).toEqual({ bytes: 5 });
    expect(dms(["volume", "lock", path, "--root", root]).status).toBe(0);
    const v = JSON.parse(dms(["volume", "verify", path, "--root", root, "--json"]).out) as { ok: boolean };
    expect(v.ok).toBe(true);
  });

  it("keygen > a world-readable file warns, as age-keygen does; a 0600 one does not", () => {
    const leaky = join(t.dir, "leaky.txt");
    const r = sh("sh", ["-c", `umask 022; "${process.execPath}" bin/dms.js keygen > "${leaky}"`], {
      cwd: pkgDir,
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("writing secret key to a world-readable file");
    expect(readFileSync(leaky, "utf8")).toMatch(/^# created: /);
    const tight = join(t.dir, "tight.txt");
    const q = sh("sh", ["-c", `umask 077; "${process.execPath}" bin/dms.js keygen > "${tight}"`], {
      cwd: pkgDir,
    });
    expect(q.status).toBe(0);
    expect(q.stderr).not.toContain("world-readable");
  });

  withTerminal(
    "-o - writes binary ciphertext to a terminal when asked, and keygen shows the public key once",
    () => {
      const r = onTerminal(["node", "bin/dms.js", "encrypt", "-r", rec, "-o", "-", file]);
      expect(r.status).toBe(0);
      const k = onTerminal(["node", "bin/dms.js", "keygen"]);
      expect(k.status).toBe(0);
      expect(k.output.match(/age1[0-9a-z]{58}/g)).toHaveLength(1);
    },
  );
});
