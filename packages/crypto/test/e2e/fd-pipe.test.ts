// encryptFd and decryptFd writing to a pipe in non-blocking mode, as stdout is once a process has
// touched process.stdout: writes hit EAGAIN while the reader is behind, and must wait, not fail or
// drop bytes. Runs the built package in a child whose reader (this test) starts late.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { generateIdentity, identityToRecipient } from "../../src/recipients/keys.js";
import { decrypt } from "../../src/session/decrypt.js";
import { encrypt } from "../../src/session/encrypt.js";
import { bytes } from "../helpers.js";

const dist = new URL("../../dist/index.js", import.meta.url).href;

/** Runs `call` (an expression using `age`, `fd` and the env) in a child; returns its stdout. */
function child(call: string, input: string, env: Record<string, string>): Promise<Buffer> {
  const script = `
    import { openSync } from "node:fs";
    const age = await import(${JSON.stringify(dist)});
    void process.stdout; // as the CLI's other commands do: the stdout pipe is now non-blocking
    const fd = openSync(${JSON.stringify(input)}, "r");
    await ${call};`;
  const c = spawn(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out: Buffer[] = [];
  let err = "";
  c.stderr.on("data", (d: Buffer) => {
    err += d;
  });
  c.stdout.pause();
  // Start reading late, so the pipe fills and the child's writes hit EAGAIN.
  setTimeout(() => {
    c.stdout.on("data", (d: Buffer) => out.push(d));
    c.stdout.resume();
  }, 300);
  return new Promise((resolve, reject) =>
    c.on("close", (code) =>
      code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`exit ${code}: ${err}`)),
    ),
  );
}

it("both directions through a non-blocking stdout pipe with a slow reader", async () => {
  const dir = mkdtempSync(join(tmpdir(), "dms-fd-pipe-"));
  try {
    const identity = await generateIdentity();
    const recipient = await identityToRecipient(identity);
    const plain = bytes(4 * 1024 * 1024 + 3, 12);
    writeFileSync(join(dir, "plain"), plain);
    const env = { R: recipient, K: identity };
    const ct = await child("age.encryptFd(fd, 1, { recipients: [process.env.R] })", join(dir, "plain"), env);
    expect(Buffer.compare(await decrypt(ct, { identities: [identity] }), plain)).toBe(0);
    writeFileSync(join(dir, "ct"), await encrypt(plain, { recipients: [recipient] }));
    const back = await child("age.decryptFd(fd, 1, { identities: [process.env.K] })", join(dir, "ct"), env);
    expect(Buffer.compare(back, plain)).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
