import { spawn } from "node:child_process";
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, dms, errorCode, tempDir } from "./helpers.js";

let t: { dir: string; cleanup: () => void };
let key: string;
let rec: string;

beforeAll(() => {
  t = tempDir("dms-int-");
  key = join(t.dir, "key.txt");
  expect(dms(["keygen", "-o", key]).status).toBe(0);
  rec = dms(["keygen", "-y", key]).out.trim();
});
afterAll(() => t.cleanup());

/** Starts dms with stdin left open, feeds `first`, waits until `ready()` holds, then sends SIGINT. */
async function interruptMidway(
  args: string[],
  first: Uint8Array,
  ready: () => boolean,
): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  child.stdout.resume();
  // The child exits on the signal while part of `first` may still be queued for its stdin.
  child.stdin.on("error", () => {});
  child.stdin.write(first);
  // Polls the filesystem, not the clock: the child is blocked on stdin until it is signalled.
  while (!ready()) await new Promise((r) => setTimeout(r, 20));
  child.kill("SIGINT");
  const status = await new Promise<number | null>((r) => child.on("close", (code) => r(code)));
  child.stdin.destroy();
  return { status, stderr };
}

describe("interrupting", () => {
  it("SIGINT during a decrypt to -o from stdin leaves no file and no temp file", async () => {
    const plain = Buffer.alloc(1_000_000, 7);
    const enc = dms(["encrypt", "-r", rec], { input: plain });
    const dir = join(t.dir, "out1");
    mkdirSync(dir);
    const r = await interruptMidway(
      ["decrypt", "-i", key, "-o", join(dir, "plain.bin")],
      enc.stdout.subarray(0, 400_000),
      () => readdirSync(dir).length > 0,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("interrupted");
    expect(errorCode(r.stderr)).toMatch(/^ERR_(DMS_INTERRUPTED|AGE_ABORTED)$/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("SIGINT during an extraction from stdin leaves the target absent", async () => {
    const src = join(t.dir, "tree");
    mkdirSync(join(src, "a"), { recursive: true });
    const big = Buffer.alloc(2_000_000, 1);
    writeFileSync(join(src, "a", "big.bin"), big);
    const enc = dms(["encrypt", "-r", rec, src]);
    expect(enc.status, enc.stderr).toBe(0);
    const target = join(t.dir, "extracted");
    const before = new Set(readdirSync(t.dir));
    const r = await interruptMidway(
      ["decrypt", "-i", key, "-x", target],
      enc.stdout.subarray(0, 1_000_000),
      () => readdirSync(t.dir).some((n) => !before.has(n)),
    );
    expect(r.status).toBe(1);
    expect(errorCode(r.stderr)).toMatch(/^ERR_(DMS_INTERRUPTED|AGE_ABORTED)$/);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(t.dir).filter((n) => !before.has(n))).toEqual([]);
  });

  it("SIGINT during dms volume encrypt rolls the step back: the volume stays plaintext", async () => {
    const root = join(t.dir, "vroot");
    const made = dms(["volume", "create", "job", "--root", root]);
    expect(made.status, made.stderr).toBe(0);
    const path = made.out.trim();
    // A sparse file: 1 GiB to encrypt (seconds) without writing it first, so SIGINT lands mid-way.
    const fd = openSync(join(path, "big.bin"), "w");
    ftruncateSync(fd, 1024 * 1024 * 1024);
    closeSync(fd);
    writeFileSync(join(path, "note.txt"), "keep me");
    const child = spawn(process.execPath, [bin, "volume", "encrypt", path, "-r", rec, "--root", root], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    // The controller makes its temp folder under the root when the archive starts being written.
    const tmp = join(root, ".dms-tmp");
    while (!(existsSync(tmp) && readdirSync(tmp).length > 0)) {
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill("SIGINT");
    const status = await new Promise<number | null>((r) => child.on("close", (code) => r(code)));
    expect(status).toBe(1);
    expect(errorCode(stderr), stderr).toBe("ERR_STORAGE_ABORTED");
    expect(readdirSync(path).sort()).toEqual(["big.bin", "note.txt"]);
    expect(readdirSync(tmp)).toEqual([]);
    const listed = JSON.parse(dms(["volume", "ls", "--json", "--root", root]).out) as {
      EncryptionType: number;
    }[];
    expect(listed[0]?.EncryptionType).toBe(0);
  });

  it("SIGKILL during dms volume encrypt: the next dms volume command undoes it and says so", async () => {
    const root = join(t.dir, "kroot");
    const path = dms(["volume", "create", "job", "--root", root]).out.trim();
    const fd = openSync(join(path, "big.bin"), "w");
    ftruncateSync(fd, 1024 * 1024 * 1024);
    closeSync(fd);
    writeFileSync(join(path, "note.txt"), "keep me");
    const child = spawn(process.execPath, [bin, "volume", "encrypt", path, "-r", rec, "--root", root], {
      stdio: "ignore",
    });
    const tmp = join(root, ".dms-tmp");
    while (!(existsSync(tmp) && readdirSync(tmp).length > 0) && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.on("close", r));
    const ls = dms(["volume", "ls", "--root", root]);
    expect(ls.status, ls.stderr).toBe(0);
    expect(ls.stderr).toBe(
      `dms: note: undid an interrupted encrypt of volume ${path}; it is as it was before\n`,
    );
    expect(readdirSync(path).sort()).toEqual(["big.bin", "note.txt"]);
    expect(dms(["volume", "ls", "--root", root]).stderr).toBe("");
  });
});
