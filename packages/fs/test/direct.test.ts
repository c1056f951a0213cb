import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DirectWriter } from "../src/direct.js";
import { openOutput } from "../src/index.js";

const MiB = 1024 * 1024;
const base = mkdtempSync(join(tmpdir(), "dms-fs-direct-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(base, `f${n++}`);

/** True when the filesystem at `dir` accepts O_DIRECT (tmpfs does not). */
function directWorks(dir: string): boolean {
  const p = join(dir, `.probe${n++}`);
  try {
    closeSync(openSync(p, constants.O_WRONLY | constants.O_CREAT | constants.O_DIRECT, 0o600));
    return true;
  } catch {
    return false;
  } finally {
    rmSync(p, { force: true });
  }
}
const direct = process.platform === "linux" && directWorks(base);
if (!direct) console.warn(`@dms/fs: ${tmpdir()} refuses O_DIRECT: skipping the tests that it is used`);

/** Writes `data` through a DirectWriter in pieces of `piece` bytes; returns the writer. */
async function writeAll(path: string, data: Buffer, piece: number, o: { direct?: boolean } = {}) {
  const fd = openSync(path, "wx", 0o600);
  const w = new DirectWriter({ fd, ...o });
  let sawDirect = false;
  try {
    for (let i = 0; i < data.length; i += piece) {
      // Two parts per call, so a call may cross a buffer boundary between its parts too.
      const end = Math.min(i + piece, data.length);
      const mid = i + Math.floor((end - i) / 3);
      await w.writev([data.subarray(i, mid), data.subarray(mid, end)]);
      sawDirect ||= w.isDirect;
    }
    await w.end();
  } finally {
    closeSync(fd);
  }
  return { sawDirect, size: w.size };
}

/**
 * Writes `data` in one call through a DirectWriter over `fd`, then ends it and closes `fd`;
 * returns whether that call went around the page cache.
 */
async function writeOnce(fd: number, data: Buffer, o: { reopen?: string } = {}): Promise<boolean> {
  const w = new DirectWriter({ fd, ...o });
  try {
    await w.writev([data]);
    const wentDirect = w.isDirect;
    await w.end();
    return wentDirect;
  } finally {
    closeSync(fd);
  }
}

describe("DirectWriter", () => {
  const sizes = [0, 1, 4095, 4096, 4 * MiB - 1, 4 * MiB, 4 * MiB + 1, 9 * MiB + 12345];
  for (const size of sizes) {
    it(`writes ${size} bytes exactly, whatever the piece size`, async () => {
      const data = randomBytes(size);
      for (const piece of [1000, 65536, 3 * MiB]) {
        if (size > MiB && piece === 1000) continue; // a million calls prove nothing more
        const p = fresh();
        const r = await writeAll(p, data, piece);
        expect(r.size).toBe(size);
        expect(statSync(p).size, "padding of the last block cut off").toBe(size);
        expect(readFileSync(p).equals(data)).toBe(true);
        // Past one buffer the file goes around the page cache, where the filesystem allows it.
        expect(r.sawDirect).toBe(direct && size >= 4 * MiB);
      }
    });
  }

  it.skipIf(!direct)("reopens the descriptor's own file, even when its path moved meanwhile", async () => {
    const data = randomBytes(9 * MiB + 7);
    const p = fresh();
    const moved = fresh();
    const fd = openSync(p, "wx", 0o600);
    renameSync(p, moved);
    expect(await writeOnce(fd, data)).toBe(true);
    expect(existsSync(p)).toBe(false);
    expect(readFileSync(moved).equals(data)).toBe(true);
  });

  it("direct: false keeps the page cache, same bytes", async () => {
    const data = randomBytes(9 * MiB + 7);
    const p = fresh();
    const r = await writeAll(p, data, 65536, { direct: false });
    expect(r.sawDirect).toBe(false);
    expect(readFileSync(p).equals(data)).toBe(true);
  });

  it("falls back to the ordinary descriptor when the file cannot be opened with O_DIRECT", async () => {
    // (tmpfs refused O_DIRECT before Linux 6.6; any refusal takes this path.)
    const data = randomBytes(9 * MiB + 7);
    const p = fresh();
    const fd = openSync(p, "wx", 0o600);
    expect(await writeOnce(fd, data, { reopen: join(base, "no-such-folder", "f") })).toBe(false);
    expect(readFileSync(p).equals(data)).toBe(true);
  });

  it("a write that fails in the background fails a later call, with its errno", async () => {
    const p = fresh();
    closeSync(openSync(p, "w"));
    const fd = openSync(p, "r"); // not writable: every write fails with EBADF
    const w = new DirectWriter({ fd, direct: false });
    try {
      await w.writev([Buffer.alloc(4 * MiB)]); // starts the write that will fail
      // The next call that has to wait for it (the next full buffer, or end) reports it.
      await expect(w.writev([Buffer.alloc(4 * MiB)])).rejects.toMatchObject({ code: "EBADF" });
      await expect(w.end()).rejects.toMatchObject({ code: "EBADF" });
      await w.close();
    } finally {
      closeSync(fd);
    }
  });
});

describe("openOutput with DirectWriter", () => {
  it.skipIf(!direct || process.platform !== "linux")(
    "a big new file is written with O_DIRECT, then committed whole at its exact size",
    async () => {
      const data = randomBytes(10 * MiB + 3);
      const p = fresh();
      const out = await openOutput(p);
      await out.writev([data.subarray(0, 6 * MiB)]);
      // One of this process's descriptors on the temp file has O_DIRECT among its flags.
      const flags = readdirSync("/proc/self/fd").flatMap((fd) => {
        try {
          if (readlinkSync(`/proc/self/fd/${fd}`) !== out.tempPath) return [];
          const line = /^flags:\s+(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, "utf8"));
          return line ? [Number.parseInt(line[1] as string, 8)] : [];
        } catch {
          return []; // closed meanwhile
        }
      });
      expect(flags.some((f) => (f & constants.O_DIRECT) !== 0)).toBe(true);
      await out.writev([data.subarray(6 * MiB)]);
      await out.commit();
      expect(statSync(p).size).toBe(data.length);
      expect(readFileSync(p).equals(data)).toBe(true);
      expect(readdirSync(base).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    },
  );

  it("an abort with a write in flight leaves no file and no temp", async () => {
    const p = fresh();
    const out = await openOutput(p);
    await out.writev([randomBytes(9 * MiB)]);
    await out.abort();
    expect(existsSync(p)).toBe(false);
    expect(readdirSync(base).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("direct: false is passed through", async () => {
    const data = randomBytes(5 * MiB);
    const p = fresh();
    const out = await openOutput(p, { direct: false });
    await out.writev([data]);
    await out.commit();
    expect(readFileSync(p).equals(data)).toBe(true);
  });
});
