// A reader that stops early (`dms decrypt ... | head`) ends dms quietly with status 141, as SIGPIPE
// ends age: no error line, and no crash on an unhandled EPIPE.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, dms, keygen, tempDir } from "./helpers.js";

let t: { dir: string; cleanup: () => void };
let key: string;
let rec: string;
let plain: string;
let enc: string;

beforeAll(() => {
  t = tempDir("dms-pipe-");
  ({ path: key, recipient: rec } = keygen(t.dir, "key.txt"));
  plain = join(t.dir, "plain.bin");
  enc = join(t.dir, "plain.bin.age");
  // Far more than a pipe holds, so dms is still writing when the reader goes away.
  writeFileSync(plain, randomBytes(8 * 1024 * 1024));
  expect(dms(["encrypt", "-r", rec, "-o", enc, plain]).status).toBe(0);
});
afterAll(() => t.cleanup());

/** Runs dms, reads its first stdout chunk, then closes the pipe as `head -c` would. */
async function readThenClose(
  args: string[],
): Promise<{ status: number | null; stderr: string; got: number }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const got = await new Promise<number>((resolve) =>
    child.stdout.once("data", (d: Buffer) => resolve(d.length)),
  );
  child.stdout.destroy();
  const status = await new Promise<number | null>((r) => child.on("close", (code) => r(code)));
  return { status, stderr, got };
}

describe("the reader of stdout goes away", () => {
  it.each([
    ["decrypt", () => ["decrypt", "-i", key, enc]],
    ["decrypt --range", () => ["decrypt", "-i", key, "--range", "0:8000000", enc]],
    ["encrypt", () => ["encrypt", "-r", rec, plain]],
    ["encrypt -a", () => ["encrypt", "-a", "-r", rec, plain]],
  ])("%s: status 141 and nothing on stderr", async (_name, args) => {
    const r = await readThenClose(args());
    expect(r.got).toBeGreaterThan(0);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(141);
  });
});
