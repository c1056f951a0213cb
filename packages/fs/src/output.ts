// Output files, the way `age -o` and `cp` users expect, and never at the cost of what is already
// there. Every file a DMS package creates for a user goes through openOutput:
// - a regular file (or a new one) is written to a temp file beside it, created 0600, fsynced and
//   renamed over it only at commit, then the folder is fsynced: a crash leaves the old file or the new;
// - a target that exists and is not a regular file (a device such as /dev/null, a FIFO, a socket) is
//   written directly, as age does: renaming over it would replace a system file;
// - a symlink is written through: the temp and the rename happen beside the file it points to, so the
//   link stays a link;
// - an existing file keeps its permission bits (and, when root writes it, its owner); a new one gets
//   `mode` (default 0o666) less the umask, as age gives;
// - when the folder is not writable but the file is, the file is written in place, and abort()
//   truncates it, so no partial or unauthenticated output remains.
// Temp names are `.NAME.dms-PID-RANDOM.tmp`. A temp left by a killed process stays 0600 (never readable
// by others), and the next output into the same folder removes it once its process is gone.
import { randomBytes } from "node:crypto";
import { constants, type Stats } from "node:fs";
import { access, type FileHandle, lstat, open, readlink, rename, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { Writable } from "node:stream";
import { DirectWriter } from "./direct.js";
import { FsError, fsError } from "./errors.js";
import { staleLeftovers } from "./stale.js";
import { fsyncPath } from "./walk.js";

/** Options of {@link openOutput}. */
export interface OutputOptions {
  /** Permission bits of a new file before the umask (default 0o666, as `age -o`); an existing file keeps its own. */
  mode?: number | undefined;
  /**
   * False to keep a big output in the page cache: by default a new file that outgrows 4 MiB is
   * written with O_DIRECT where the filesystem allows it (see direct.ts for why).
   */
  direct?: boolean | undefined;
}

/** How an output reaches its target. */
export type OutputMode = "replace" | "direct" | "in-place";

/** An output being written; exactly one of commit() or abort() ends it. */
export interface OutputFile {
  /** The path the user gave (what error messages name). */
  readonly path: string;
  /** replace: temp + rename; direct: a device, FIFO or socket written as it is; in-place: see module doc. */
  readonly how: OutputMode;
  /**
   * The open file the bytes go to (the temp file when replacing). Write through writev or
   * writable only: a replaced file may be written at aligned offsets from a second descriptor.
   */
  readonly handle: FileHandle;
  /** The temp file's path when replacing (so a tree being archived can leave it out), else undefined. */
  readonly tempPath: string | undefined;
  /** Writes every byte of `parts`, in order. */
  writev(parts: readonly Uint8Array[]): Promise<void>;
  /** A Node Writable over this output; ending it does not commit. */
  writable(): Writable;
  /** Makes the output durable and visible at its path. */
  commit(): Promise<void>;
  /** Drops the output: the target is left as it was (in place: truncated). Never throws. */
  abort(): Promise<void>;
}

const TEMP = /^\..+\.dms-(\d+)-[0-9a-f]{12}\.tmp$/;

/** The temp path beside `file`: hidden, named after it, carrying this process's pid. */
export function tempPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.dms-${process.pid}-${randomBytes(6).toString("hex")}.tmp`);
}

/**
 * Removes temp files that a killed process left in `dir`: named as {@link tempPathFor} names them,
 * owned by this user, regular files, older than 30 s, whose process is gone. Best effort: returns the
 * names removed and never throws.
 */
export async function sweepStaleTemps(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const { name, path } of await staleLeftovers(dir, TEMP, { kind: "file" })) {
    try {
      await unlink(path);
      removed.push(name);
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return removed;
}

/** Follows symlinks from `path` to the file they name (which may not exist yet). */
async function follow(path: string): Promise<{ real: string; st: Stats | undefined }> {
  let p = path;
  for (let hops = 0; hops < 40; hops++) {
    let st: Stats;
    try {
      st = await lstat(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return { real: p, st: undefined };
      throw fsError(e, path, "write");
    }
    if (!st.isSymbolicLink()) return { real: p, st };
    p = resolve(dirname(p), await readlink(p));
  }
  throw fsError(Object.assign(new Error("too many symbolic links"), { code: "ELOOP" }), path, "write");
}

async function writeFully(fh: FileHandle, parts: readonly Uint8Array[], path: string): Promise<void> {
  let list = parts.filter((p) => p.length > 0);
  try {
    while (list.length > 0) {
      const { bytesWritten } = await fh.writev(list);
      let n = bytesWritten;
      let i = 0;
      while (i < list.length && n >= (list[i] as Uint8Array).length) n -= (list[i++] as Uint8Array).length;
      list = list.slice(i);
      if (n > 0 && list.length > 0) list[0] = (list[0] as Uint8Array).subarray(n);
    }
  } catch (e) {
    throw fsError(e, path, "write");
  }
}

// The data was fsynced before the rename; only the folder entry may lag where a folder cannot be synced.
const syncDir = (dir: string): Promise<void> => fsyncPath(dir).catch(() => {});

function checkMode(mode: number | undefined): number {
  if (mode === undefined) return 0o666;
  if (typeof mode !== "number" || !Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
    throw new RangeError(`mode: expected permission bits from 0 to 0o7777, got ${String(mode)}`);
  }
  return mode;
}

/**
 * Opens `path` for output by the rules in this module's header.
 *
 * @throws FsError (kind not-found, permission, exists, no-space, busy, other) naming `path`;
 * RangeError for a bad `mode`; TypeError when `path` is not a non-empty string.
 * @example
 * ```ts
 * const out = await openOutput("report.age");
 * try { await out.writev([bytes]); await out.commit(); } catch (e) { await out.abort(); throw e; }
 * ```
 */
export async function openOutput(path: string, options: OutputOptions = {}): Promise<OutputFile> {
  if (typeof path !== "string" || path === "") {
    throw new TypeError(
      `path: expected a non-empty string, got ${typeof path === "string" ? '""' : typeof path}`,
    );
  }
  const newMode = checkMode(options.mode);
  const { real, st } = await follow(path);
  if (st?.isDirectory())
    throw fsError(Object.assign(new Error("is a directory"), { code: "EISDIR" }), path, "write");

  if (st && !st.isFile()) {
    let handle: FileHandle;
    try {
      handle = await open(real, "w");
    } catch (e) {
      throw fsError(e, path, "write");
    }
    return make(
      path,
      "direct",
      handle,
      undefined,
      async () => {
        await handle.close();
      },
      async () => {
        await handle.close();
      },
    );
  }

  if (st) {
    try {
      await access(real, constants.W_OK);
    } catch (e) {
      throw fsError(e, path, "write");
    }
  }
  const dir = dirname(real);
  await sweepStaleTemps(dir);
  const tmp = tempPathFor(real);
  let handle: FileHandle;
  try {
    handle = await open(tmp, "wx", 0o600);
  } catch (e) {
    const err = fsError(e, path, "write");
    if (!st || err.kind !== "permission") throw err;
    // The folder is closed to us but the file is not: write it in place, as age does.
    let fh: FileHandle;
    try {
      fh = await open(real, "w");
    } catch (e2) {
      throw fsError(e2, path, "write");
    }
    return make(
      path,
      "in-place",
      fh,
      undefined,
      async () => {
        await fh.sync();
        await fh.close();
      },
      async () => {
        await fh.truncate(0).catch(() => {});
        await fh.close();
      },
    );
  }
  const finalMode = st ? st.mode & 0o7777 : newMode & ~process.umask();
  const h = handle;
  const writer = new DirectWriter({ fd: h.fd, direct: options.direct !== false });
  return make(
    path,
    "replace",
    h,
    tmp,
    async () => {
      await writer.end();
      await h.sync();
      // chown first: it clears set-id bits, which chmod then restores.
      if (st && process.getuid?.() === 0 && (st.uid !== 0 || st.gid !== 0)) await h.chown(st.uid, st.gid);
      await h.chmod(finalMode);
      await h.close();
      await rename(tmp, real);
      await syncDir(dir);
    },
    async () => {
      await writer.close();
      await h.close().catch(() => {});
      await unlink(tmp);
    },
    writer,
  );
}

/**
 * Flushes a file while it is written. Linux starts writing dirty pages back only past
 * dirty_background_ratio (GiBs on a big machine), so the fsync at commit used to write the whole
 * file at the end: 350-480 ms for 1 GiB here, against ~30 ms with an fdatasync every 250 ms from
 * the thread pool (one at a time) while the writer went on, its own time unchanged.
 */
function writeBehind(handle: FileHandle, writer: DirectWriter | undefined): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (writer?.isDirect) return; // nothing of it waits in the page cache
    // A failure here is the commit's fsync's to report.
    running ??= handle
      .datasync()
      .catch(() => {})
      .finally(() => {
        running = undefined;
      });
  }, WRITE_BEHIND_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

const WRITE_BEHIND_MS = 250;

function make(
  path: string,
  how: OutputMode,
  handle: FileHandle,
  tempPath: string | undefined,
  finish: () => Promise<void>,
  drop: () => Promise<void>,
  writer?: DirectWriter,
): OutputFile {
  let ended = false;
  let stream: Writable | undefined;
  const behind = how === "direct" ? undefined : writeBehind(handle, writer);
  const out: OutputFile = {
    path,
    how,
    handle,
    tempPath,
    writev: writer
      ? (parts) =>
          writer.writev(parts).catch((e: unknown) => {
            throw fsError(e, path, "write");
          })
      : (parts) => writeFully(handle, parts, path),
    writable() {
      stream ??= new Writable({
        write: (chunk: Uint8Array, _enc, cb) => {
          out.writev([chunk]).then(() => cb(), cb);
        },
        writev: (chunks, cb) => {
          out.writev(chunks.map((c) => c.chunk as Uint8Array)).then(() => cb(), cb);
        },
      });
      return stream;
    },
    async commit() {
      if (ended) throw new FsError("other", path, `cannot write ${path}: the output was already ended`, {});
      ended = true;
      if (stream && !stream.writableFinished) {
        if (!stream.writableEnded) stream.end();
        await new Promise<void>((res, rej) => {
          stream?.once("finish", res).once("error", rej);
        });
      }
      try {
        await behind?.stop();
        await finish();
      } catch (e) {
        await drop().catch(() => {});
        throw fsError(e, path, "write");
      }
    },
    async abort() {
      if (ended) return;
      ended = true;
      stream?.destroy();
      await behind?.stop();
      await drop().catch(() => {});
    },
  };
  return out;
}

/**
 * Writes `data` to `path` by the rules of {@link openOutput}: whole or not at all.
 *
 * @throws FsError naming `path`.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: OutputOptions = {},
): Promise<void> {
  const out = await openOutput(path, options);
  try {
    await out.writev([typeof data === "string" ? Buffer.from(data, "utf8") : data]);
    await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  }
}
