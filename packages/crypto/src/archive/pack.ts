import { closeSync, constants, fstatSync, openSync, readlinkSync, readSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { Readable } from "node:stream";
import { madeGarbage } from "../backend/pace.js";
import { AgeError, checkAbort, ioError } from "../errors.js";
import { archiveError, isArchiveErrorCode } from "./errors.js";
import { resolveLimits } from "./names.js";
import { ExtractPolicy } from "./policy.js";
import { END_OF_ARCHIVE_BYTES, encodeHeader, paddingAfter, type TarEntryHeader } from "./ustar.js";
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

// Headers, small files and padding are laid into 1 MiB buffers, and large files are read straight
// into them: one push downstream per MiB whatever the tree holds, and no copy of file content.
const BATCH = 1024 * 1024;
const SMALL_FILE = 64 * 1024;
// O_NONBLOCK: a FIFO swapped in after the walk's lstat must not block the open (fstat refuses it).
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

function shrank(rel: string, size: number, n: number): Error {
  return archiveError(
    "ERR_ARCHIVE_CHANGED",
    rel,
    `the file shrank from ${size} to ${n} bytes while archiving`,
    "archive the directory again when it is not being modified",
  );
}

function replaced(rel: string): Error {
  return archiveError(
    "ERR_ARCHIVE_CHANGED",
    rel,
    "the file was replaced while archiving",
    "archive the directory again when it is not being modified",
  );
}

/**
 * Normalised mode: 0755 / 0644, or 0700 / 0600 when group and others had no access at all, so a
 * private file (an identity, a token in a job folder) does not come back readable by everyone.
 */
function normalMode(mode: number, executable: boolean): number {
  const owner = executable ? 0o700 : 0o600;
  return mode & 0o077 ? owner | (executable ? 0o055 : 0o044) : owner;
}

function mtimeOf(e: WalkEntry, o: PackOptions): number {
  const ms = o.mtime ? o.mtime.getTime() : e.st.mtimeMs;
  return Math.max(0, Math.floor(ms / 1000));
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Read-only descriptor: nothing was buffered that a failed close could lose.
  }
}

/** Opens a regular file of the walk without following links; its fstat must still say regular file. */
function openRegular(e: WalkEntry): { fd: number; size: number; mode: number } {
  let fd: number;
  try {
    fd = openSync(e.abs, READ_FLAGS);
  } catch (err) {
    throw ioError(err, e.abs);
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeQuietly(fd);
    throw replaced(e.rel);
  }
  return { fd, size: st.size, mode: normalMode(st.mode, (st.mode & 0o111) !== 0) };
}

/**
 * The tar bytes, in pieces of about {@link BATCH}: the buffer being filled and what is ready. With
 * `reuse` every piece is the same buffer, to be used up before the next is asked for: a fresh
 * 1 MiB per piece costs its page faults (a folder of 10 000 small files and 128 MiB packed in
 * ~520 ms instead of ~250 with one buffer, on these VMs).
 */
class Batcher {
  buf = Buffer.allocUnsafe(BATCH);
  fill = 0;

  constructor(private readonly reuse: boolean) {}

  get room(): number {
    return this.buf.length - this.fill;
  }

  /** The filled part, handed downstream; unless reused, a new buffer takes its place. */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.fill);
    this.fill = 0;
    if (this.reuse) return out;
    // Downstream keeps it as long as it likes, so each batch is fresh, and garbage once sealed.
    madeGarbage(BATCH);
    this.buf = Buffer.allocUnsafe(BATCH);
    return out;
  }

  put(bytes: Uint8Array): void {
    this.buf.set(bytes, this.fill);
    this.fill += bytes.length;
  }

  zeros(n: number): void {
    this.buf.fill(0, this.fill, this.fill + n);
    this.fill += n;
  }

  /** Reads up to `n` bytes of `fd` at `pos` into the buffer; returns how many came. */
  read(fd: number, n: number, pos: number): number {
    const got = readSync(fd, this.buf, this.fill, n, pos);
    this.fill += got;
    return got;
  }
}

/**
 * The tar of everything under `dir`, as a sequence of byte pieces. Reads are synchronous, one
 * syscall each (as tar does): through the promise API each open, stat, read and close of a small
 * file is a thread-pool round trip, which made many small files several times slower than
 * `tar | age` (bench/dirs.mjs). The walk still lets the event loop run every 256 entries, and a
 * large file is read one piece per pull.
 */
async function* tarPieces(
  dir: string,
  o: PackOptions,
  result: PackResult,
  reuse: boolean,
): AsyncGenerator<Uint8Array> {
  const policy = o.checkExtractable ? packPolicy() : undefined;
  const b = new Batcher(reuse);
  for await (const e of walkSorted(dir)) {
    checkAbort(o.signal);
    if (o.exclude?.has(resolve(e.abs))) continue;
    const mtime = mtimeOf(e, o);
    if (e.st.isDirectory()) {
      const h: TarEntryHeader = {
        name: `${e.rel}/`,
        type: "directory",
        mode: normalMode(e.st.mode, true),
        size: 0,
        mtime,
      };
      if (policy) checkExtractable(policy, h);
      yield* putHeader(b, h);
    } else if (e.st.isSymbolicLink()) {
      let linkname: string;
      try {
        linkname = readlinkSync(e.abs);
      } catch (err) {
        throw ioError(err, e.abs);
      }
      const h: TarEntryHeader = { name: e.rel, type: "symlink", mode: 0o777, size: 0, mtime, linkname };
      if (policy) checkExtractable(policy, h);
      yield* putHeader(b, h);
    } else if (e.st.isFile()) {
      if (policy)
        checkExtractable(policy, { name: e.rel, type: "file", mode: 0o644, size: e.st.size, mtime });
      const { fd, size, mode } = openRegular(e);
      try {
        yield* putHeader(b, { name: e.rel, type: "file", mode, size, mtime });
        yield* putContent(b, fd, size, e.rel, o.signal);
      } finally {
        closeQuietly(fd);
      }
      result.bytes += size;
      o.onProgress?.({ bytes: result.bytes });
    } else {
      throw archiveError(
        "ERR_ARCHIVE_SPECIAL_FILE",
        e.rel,
        "the tree holds a socket, FIFO or device, which an archive cannot carry",
        "move it out of the directory and try again",
      );
    }
    result.entries++;
  }
  if (b.room < END_OF_ARCHIVE_BYTES) yield b.take();
  b.zeros(END_OF_ARCHIVE_BYTES);
  yield b.take();
}

function* putHeader(b: Batcher, h: TarEntryHeader): Generator<Uint8Array> {
  const bytes = encodeHeader(h);
  if (b.room < bytes.length) yield b.take();
  b.put(bytes);
}

function* putContent(
  b: Batcher,
  fd: number,
  size: number,
  rel: string,
  signal: AbortSignal | undefined,
): Generator<Uint8Array> {
  // A small file goes whole into the current piece when it fits.
  if (size <= SMALL_FILE && b.room < size + paddingAfter(size)) yield b.take();
  let pos = 0;
  while (pos < size) {
    if (b.room === 0) {
      yield b.take();
      checkAbort(signal);
    }
    let got: number;
    try {
      got = b.read(fd, Math.min(b.room, size - pos), pos);
    } catch (err) {
      throw ioError(err, rel);
    }
    if (got === 0) throw shrank(rel, size, pos);
    pos += got;
  }
  const pad = paddingAfter(size);
  if (b.room < pad) yield b.take();
  b.zeros(pad);
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

function checkExtractable(policy: ExtractPolicy, header: TarEntryHeader): void {
  try {
    policy.admit(header);
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
 * Starts archiving `dir` as a POSIX tar (ustar, with pax records only where a name, link target or
 * size needs them): entries in byte order with parents first; modes normalised (0755 for
 * directories and executable files, 0644 for other files; 0700 / 0600 for those that group and
 * others could not read); owners dropped; symlinks stored as links; sockets, FIFOs and devices
 * refused. Returns the tar byte stream at once and a promise of the counts. Reading the stream
 * drives the walk, so memory stays flat however large the tree is.
 *
 * @throws AgeError (through `done` and the stream) ERR_ARCHIVE_SPECIAL_FILE, ERR_ARCHIVE_CHANGED,
 * ERR_AGE_IO (also when `dir` is not a directory), ERR_AGE_ABORTED.
 */
export function packDirectory(
  dir: string,
  o: PackOptions = {},
): { stream: Readable; done: Promise<PackResult> } {
  const result: PackResult = { entries: 0, bytes: 0 };
  let settle!: { resolve: (r: PackResult) => void; reject: (e: unknown) => void };
  const done = new Promise<PackResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  done.catch(() => {});
  async function* run(): AsyncGenerator<Uint8Array> {
    try {
      checkDirectory(dir);
      yield* tarPieces(dir, o, result, false);
      settle.resolve(result);
    } catch (e) {
      settle.reject(e);
      throw e;
    }
  }
  const stream = Readable.from(run(), { objectMode: false, highWaterMark: 1 });
  // Failures reach the caller through `done`; without a listener a late one would crash the process.
  stream.on("error", () => {});
  stream.on("close", () => settle.reject(new Error("tar stream closed by its consumer")));
  return { stream, done };
}

/**
 * The tar of {@link packDirectory} for a consumer that uses each piece up before it asks for the
 * next (the encryption loop): every piece is the same buffer. Counts go into `result`.
 *
 * @throws AgeError as {@link packDirectory}.
 */
export async function* packPieces(
  dir: string,
  o: PackOptions,
  result: PackResult,
): AsyncGenerator<Uint8Array> {
  checkDirectory(dir);
  yield* tarPieces(dir, o, result, true);
}

function checkDirectory(dir: string): void {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(dir);
  } catch (e) {
    throw ioError(e, dir);
  }
  if (!st.isDirectory()) {
    throw new AgeError("ERR_AGE_IO", `not a directory: ${dir}; give the directory to archive`, {
      errno: "ENOTDIR",
      path: dir,
    });
  }
}
