import { closeSync, constants, fstatSync, openSync, readlinkSync, readSync } from "node:fs";
import { open, stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { Header, Pack } from "tar-stream";
import { AgeError, checkAbort, ioError } from "../errors.js";
import { archiveError, isArchiveErrorCode } from "./errors.js";
import { resolveLimits } from "./names.js";
import { ExtractPolicy } from "./policy.js";
import { tarPack } from "./tar.js";
import { type WalkEntry, walkSorted } from "./walk.js";

/** Options of the tar writer. */
export interface PackOptions {
  /**
   * Store this modification time on every entry instead of each file's own (whole seconds),
   * for byte-identical archives of identical trees. Default: keep each entry's mtime.
   */
  mtime?: Date | undefined;
  /** Absolute paths to leave out (the archive being written, when it lies inside the tree). */
  exclude?: ReadonlySet<string> | undefined;
  /** Refuse a tree that {@link extractDirectory} would refuse; see {@link EncryptDirectoryOptions}. */
  checkExtractable?: boolean | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: (p: { bytes: number; total?: number }) => void;
}

/** What was archived. */
export interface PackResult {
  /** Entries written (files, directories, symlinks). */
  entries: number;
  /** Bytes of file content. */
  bytes: number;
}

// ustar's 11 octal digits hold sizes below 8 GiB; larger ones go in a pax `size` record.
const USTAR_MAX_SIZE = 8 ** 11 - 1;
const SMALL_FILE = 64 * 1024;
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

function sinkWrite(sink: NodeJS.WritableStream, chunk: Uint8Array): Promise<void> {
  if (sink.write(chunk)) return Promise.resolve();
  return new Promise((resolveWrite, rejectWrite) => {
    const done = (err?: Error) => {
      sink.off("drain", onDrain);
      sink.off("close", onClose);
      if (err) rejectWrite(err);
      else resolveWrite();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error("tar entry closed"));
    sink.on("drain", onDrain);
    sink.on("close", onClose);
  });
}

function entryDone(
  p: Pack,
  header: Header,
  body?: Uint8Array,
): { sink: NodeJS.WritableStream; done: Promise<void> } {
  // The consumer stopped (an encryption or write failure destroyed the pack): stop walking.
  if (p.destroying || p.destroyed) throw new Error("tar stream closed by its consumer");
  let sink!: NodeJS.WritableStream;
  const done = new Promise<void>((resolveEntry, rejectEntry) => {
    const cb = (err?: Error | null) => (err ? rejectEntry(err) : resolveEntry());
    sink = (body ? p.entry(header, body, cb) : p.entry(header, cb)) as unknown as NodeJS.WritableStream;
  });
  done.catch(() => {});
  // The entry callback reports the failure; a destroyed pack also errors every sink.
  sink.on("error", () => {});
  return { sink, done };
}

function baseHeader(e: WalkEntry, o: PackOptions): Header {
  const mtime = o.mtime ?? new Date(Math.max(0, Math.floor(e.st.mtimeMs / 1000)) * 1000);
  return {
    name: e.rel,
    size: 0,
    mode: 0o644,
    mtime,
    type: "file",
    linkname: "",
    uid: 0,
    gid: 0,
    uname: "",
    gname: "",
    devmajor: 0,
    devminor: 0,
  };
}

function shrank(rel: string, size: number, n: number): Error {
  return archiveError(
    "ERR_ARCHIVE_CHANGED",
    rel,
    `the file shrank from ${size} to ${n} bytes while archiving`,
    "archive the directory again when it is not being modified",
  );
}

type FileHandle = Awaited<ReturnType<typeof open>>;

async function openRegular(e: WalkEntry): Promise<{ fh: FileHandle; size: number; mode: number }> {
  let fh: FileHandle;
  try {
    fh = await open(e.abs, READ_FLAGS);
  } catch (err) {
    throw ioError(err, e.abs);
  }
  const st = await fh.stat();
  // The file may have been swapped for something else between lstat and open.
  if (!st.isFile()) {
    await fh.close().catch(() => {});
    throw archiveError(
      "ERR_ARCHIVE_CHANGED",
      e.rel,
      "the file was replaced while archiving",
      "archive the directory again when it is not being modified",
    );
  }
  return { fh, size: st.size, mode: normalMode(st.mode, (st.mode & 0o111) !== 0) };
}

/**
 * Normalised mode: 0755 / 0644, or 0700 / 0600 when group and others had no access at all, so a
 * private file (an identity, a token in a job folder) does not come back readable by everyone.
 */
function normalMode(mode: number, executable: boolean): number {
  const owner = executable ? 0o700 : 0o600;
  return mode & 0o077 ? owner | (executable ? 0o055 : 0o044) : owner;
}

/** An entry ready to be written: its header and, for small files and links, everything else. */
interface Prepared {
  e: WalkEntry;
  header: Header;
  body?: Uint8Array | undefined;
  /** Large files are opened and streamed only when their turn comes. */
  large?: boolean | undefined;
}

function prepare(e: WalkEntry, o: PackOptions): Prepared {
  const header = baseHeader(e, o);
  if (e.st.isDirectory()) {
    header.type = "directory";
    header.mode = normalMode(e.st.mode, true);
    header.name = `${e.rel}/`;
    return { e, header };
  }
  if (e.st.isSymbolicLink()) {
    header.type = "symlink";
    header.mode = 0o777;
    try {
      header.linkname = readlinkSync(e.abs);
    } catch (err) {
      throw ioError(err, e.abs);
    }
    return { e, header };
  }
  if (!e.st.isFile()) {
    throw archiveError(
      "ERR_ARCHIVE_SPECIAL_FILE",
      e.rel,
      "the tree holds a socket, FIFO or device, which an archive cannot carry",
      "move it out of the directory and try again",
    );
  }
  if (e.st.size > SMALL_FILE) return { e, header, large: true };
  const { size, mode, body } = readSmall(e);
  header.size = size;
  header.mode = mode;
  return { e, header, body };
}

/**
 * Reads a small file with synchronous calls. Four promise-based calls per file (open, stat,
 * read, close) each cost a thread-pool round trip; for 10 000 files of 4 KiB that made
 * encryptDirectory 5x slower than `tar | age` (bench/dirs.mjs). Each call here blocks for one
 * syscall on at most 64 KiB, as tar does.
 */
function readSmall(e: WalkEntry): { size: number; mode: number; body: Buffer } {
  let fd: number;
  try {
    fd = openSync(e.abs, READ_FLAGS);
  } catch (err) {
    throw ioError(err, e.abs);
  }
  try {
    const st = fstatSync(fd);
    // The file may have been swapped for something else between lstat and open.
    if (!st.isFile()) {
      throw archiveError(
        "ERR_ARCHIVE_CHANGED",
        e.rel,
        "the file was replaced while archiving",
        "archive the directory again when it is not being modified",
      );
    }
    const size = st.size;
    const buf = Buffer.allocUnsafe(Math.min(size, SMALL_FILE));
    let n = 0;
    while (n < buf.length) {
      const bytesRead = readSync(fd, buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    if (n !== size) throw shrank(e.rel, size, n);
    return { size, mode: normalMode(st.mode, (st.mode & 0o111) !== 0), body: buf };
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Read-only descriptor: nothing was buffered that a failed close could lose.
    }
  }
}

async function packLarge(p: Pack, e: WalkEntry, header: Header): Promise<number> {
  const { fh, size, mode } = await openRegular(e);
  try {
    header.size = size;
    header.mode = mode;
    if (size > USTAR_MAX_SIZE) header.pax = { size: String(size) };
    const { sink, done } = entryDone(p, header);
    let n = 0;
    if (size > 0) {
      const rs = fh.createReadStream({
        start: 0,
        end: size - 1,
        autoClose: false,
        highWaterMark: 1024 * 1024,
      });
      for await (const chunk of rs as AsyncIterable<Uint8Array>) {
        n += chunk.length;
        await sinkWrite(sink, chunk);
      }
    }
    if (n !== size) throw shrank(e.rel, size, n);
    sink.end();
    await done;
    return size;
  } finally {
    await fh.close().catch(() => {});
  }
}

/**
 * Writes a POSIX tar (ustar, with pax records only where a name, link target or size needs
 * them) of everything under `dir`, into a tar-stream pack. Entries are in byte order with
 * parents first; modes are normalised (0755 for directories and executable files, 0644 for
 * other files; 0700 / 0600 for those that group and others could not read), owners are dropped, symlinks are stored as links. Sockets, FIFOs and devices
 * are refused.
 *
 * @throws AgeError ERR_ARCHIVE_SPECIAL_FILE, ERR_ARCHIVE_CHANGED, ERR_AGE_IO, ERR_AGE_ABORTED.
 */
async function writeTar(p: Pack, dir: string, o: PackOptions = {}): Promise<PackResult> {
  let entries = 0;
  let bytes = 0;
  const policy = o.checkExtractable ? packPolicy() : undefined;
  for await (const e of walkSorted(dir)) {
    checkAbort(o.signal);
    if (o.exclude?.has(resolve(e.abs))) continue;
    const item = prepare(e, o);
    if (policy) checkExtractable(policy, item.header);
    if (item.large) {
      bytes += await packLarge(p, item.e, item.header);
    } else {
      await entryDone(p, item.header, item.body).done;
      bytes += item.body?.length ?? 0;
    }
    if (item.header.type === "file") o.onProgress?.({ bytes });
    entries++;
  }
  p.finalize();
  return { entries, bytes };
}

/**
 * Extraction's own rules with links allowed and no caps (extraction's options raise those), so
 * what passes here is exactly what `extractDirectory(..., { allowLinks: true })` accepts.
 */
function packPolicy(): ExtractPolicy {
  const none = Number.MAX_SAFE_INTEGER;
  return new ExtractPolicy(
    resolveLimits({
      allowLinks: true,
      maxEntries: none,
      maxTotalBytes: none,
      maxDepth: none,
      maxPathLength: none,
    }),
  );
}

function checkExtractable(policy: ExtractPolicy, header: Header): void {
  try {
    policy.admit({ ...header, size: header.size ?? 0, mode: header.mode ?? 0 });
  } catch (e) {
    if (!(e instanceof AgeError) || !isArchiveErrorCode(e.code)) throw e;
    // Keep the policy's "archive entry X: problem" and replace its advice, which is for extraction.
    const cut = e.message.indexOf("; ");
    const problem = cut < 0 ? e.message : e.message.slice(0, cut);
    throw new AgeError(
      e.code,
      `cannot archive: ${problem}, which extraction would refuse; rename or remove it`,
      {
        cause: e,
      },
    );
  }
}

/**
 * Starts archiving `dir`; returns the tar byte stream at once and a promise of the counts.
 * Reading the stream drives the walk, so memory stays flat however large the tree is.
 *
 * @throws AgeError (through `done` and the stream) as {@link writeTar}; ERR_AGE_IO when `dir` is not a directory.
 */
export function packDirectory(dir: string, o: PackOptions = {}): { stream: Pack; done: Promise<PackResult> } {
  const p = tarPack();
  // Failures also reach the caller through `done`; without a listener a late one would crash the process.
  p.on("error", () => {});
  const done = (async () => {
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(dir);
    } catch (e) {
      throw ioError(e, dir);
    }
    if (!st.isDirectory()) {
      throw new AgeError("ERR_AGE_IO", `not a directory: ${dir}; give the directory to archive`, {
        errno: "ENOTDIR",
        path: dir,
      });
    }
    return writeTar(p, dir, o);
  })();
  done.catch((e) => p.destroy(e));
  return { stream: p, done };
}
