// The README's main example runs as written, on a terminal (two of its lines ask for a passphrase), with
// `dms` on PATH as the built command; then each file it made is checked.
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { bin, dms, onTerminal, sh, tempDir, withTerminal } from "./helpers.js";

let t: { dir: string; cleanup: () => void };
beforeAll(() => {
  t = tempDir("dms-readme-");
});
afterAll(() => t.cleanup());

describe("README", () => {
  withTerminal("the main example runs as written and does what its comments say", () => {
    const readme = readFileSync(join(bin, "..", "..", "README.md"), "utf8");
    const script = /```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(script).toBeDefined();
    const work = join(t.dir, "work");
    mkdirSync(join(work, "job"), { recursive: true });
    writeFileSync(join(work, "data.csv"), "a,b\n1,2\n");
    writeFileSync(join(work, "job", "input.txt"), "job input\n");
    writeFileSync(join(work, "notes.txt"), "my notes\n");
    writeFileSync(join(work, "pass.txt"), "automation passphrase\n");
    writeFileSync(join(work, "x"), "x content\n");
    const binDir = join(t.dir, "bin");
    mkdirSync(binDir);
    writeFileSync(join(binDir, "dms"), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
    chmodSync(join(binDir, "dms"), 0o755);
    writeFileSync(join(t.dir, "example.sh"), `set -e\nPATH="${binDir}:$PATH"\n${script}\necho EXAMPLE-OK\n`);

    const r = onTerminal(["sh", join(t.dir, "example.sh")], ["notes pw", "notes pw", "notes pw"], work);
    expect(r.output).toContain("EXAMPLE-OK");
    expect(r.status).toBe(0);

    expect(statSync(join(work, "key.txt")).mode & 0o777).toBe(0o600);
    const key = join(work, "key.txt");
    const recipient = readFileSync(join(work, "recipients.txt"), "utf8").trim();
    expect(r.output).toContain(`Public key: ${recipient}`);
    expect(readFileSync(join(work, "data.csv"), "utf8")).toBe("a,b\n1,2\n");
    expect(readFileSync(join(work, "copy.csv"), "utf8")).toBe("a,b\n1,2\n");
    const tar = dms(["decrypt", "-i", key, join(work, "job.tar.age")]);
    expect(tar.status, tar.stderr).toBe(0);
    expect(sh("tar", ["-t"], { input: tar.stdout }).out).toContain("job/input.txt");
    expect(readFileSync(join(work, "notes.txt.age"), "utf8")).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----/);
    expect(readFileSync(join(work, "notes.txt"), "utf8")).toBe("my notes\n");
    const x = dms(["decrypt", "--passphrase-file", join(work, "pass.txt"), join(work, "x.age")]);
    expect(x.out).toBe("x content\n");
  });
});
