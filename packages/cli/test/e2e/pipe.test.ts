// A reader that stops early (`dms decrypt ... | head`) is reported like any failure: status 1 and
// exactly one error line, never a crash on an unhandled EPIPE (decrypt --range had one). And pipes
// as input: a shell pipe on stdin and a FIFO named as INPUT, read as their data arrives.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, dms, ERROR_LINE, keygen, tempDir } from "./helpers.js";

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
  ])("%s: status 1 and one ERR_DMS_IO line saying the reader stopped", async (_name, args) => {
    const r = await readThenClose(args());
    expect(r.got).toBeGreaterThan(0);
    expect(r.stderr).toMatch(ERROR_LINE);
    expect(r.stderr).toMatch(/broken pipe.*\(ERR_DMS_IO\)\n$/);
    expect(r.status).toBe(1);
  });

  it("a full disk behind stdout is ERR_DMS_NO_SPACE", () => {
    const full = openSync("/dev/full", "w");
    try {
      const r = spawnSync(process.execPath, [bin, "inspect", enc], { stdio: ["ignore", full, "pipe"] });
      expect(r.status).toBe(1);
      expect(r.stderr.toString()).toMatch(
        /^dms: error: cannot write to standard output: no space left .*\(ERR_DMS_NO_SPACE\)\n$/,
      );
    } finally {
      closeSync(full);
    }
  });
});

describe("a pipe as INPUT", () => {
  it("from a shell pipe on stdin, both ways, byte for byte", () => {
    const out = join(t.dir, "from-pipe");
    const q = (s: string) => `'${s}'`;
    const run = (cmd: string) => spawnSync("sh", ["-c", cmd], { encoding: "utf8" });
    const e = run(`cat ${q(plain)} | ${q(bin)} encrypt -r ${rec} -o ${q(`${out}.age`)}`);
    expect(e.status, e.stderr).toBe(0);
    const d = run(`cat ${q(`${out}.age`)} | ${q(bin)} decrypt -i ${q(key)} > ${q(out)}`);
    expect(d.status, d.stderr).toBe(0);
    expect(Buffer.compare(readFileSync(out), readFileSync(plain))).toBe(0);
  });

  /** Runs `dms decrypt -o OUT FIFO` while another process writes `cmd`'s output into the FIFO. */
  async function fromFifo(name: string, cmd: string) {
    const fifo = join(t.dir, name);
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const writer = spawn("sh", ["-c", `${cmd} > '${fifo}'`]);
    const written = new Promise((r) => writer.on("close", r));
    const out = join(t.dir, `${name}.out`);
    const child = spawn(process.execPath, [bin, "decrypt", "-i", key, "-o", out, fifo], { stdio: "pipe" });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const status = await new Promise<number | null>((r) => child.on("close", (code) => r(code)));
    expect(await written).toBe(0);
    return { status, stderr, out };
  }

  it("from a FIFO named as INPUT, with its writer in another process", async () => {
    const r = await fromFifo("in-fifo", `cat '${enc}'`);
    expect(r.status, r.stderr).toBe(0);
    expect(Buffer.compare(readFileSync(r.out), readFileSync(plain))).toBe(0);
  });

  it("a truncated file from a FIFO is ERR_AGE_PAYLOAD and leaves no -o file", async () => {
    // Read as a stream, the FIFO's descriptor was closed twice on this failure: ERR_DMS_INTERNAL.
    const r = await fromFifo("cut-fifo", `head -c 3000000 '${enc}'`);
    expect(r.stderr).toMatch(/\(ERR_AGE_PAYLOAD\)\n$/);
    expect(r.status).toBe(1);
    expect(() => readFileSync(r.out)).toThrow(/ENOENT/);
  });
});
