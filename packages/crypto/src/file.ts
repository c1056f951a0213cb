// File to file, atomically: the output is written to a temp file beside the destination,
// fsynced and renamed into place only on success. This path skips stream adapters and drives
// the sessions directly with large reads and vectored writes.
import { randomBytes } from "node:crypto";
import { type FileHandle, open, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { DecryptSession } from "./decrypt.js";
import { EncryptSession } from "./encrypt.js";
import { AgeError, checkAbort, ioError } from "./errors.js";
import type { DecryptOptions, EncryptOptions } from "./options.js";
import { parallelOpener, parallelSealer } from "./parallel.js";

/** Options of {@link encryptFile} and {@link decryptFile} beyond encryption's and decryption's own. */
export interface FileOptions {
  /**
   * Permission bits of the file created, before the process umask applies (as for `open(2)`).
   * Default 0o600: owner only. 0o666 gives what `age -o` and `cp` give (0644 under umask 022).
   */
  mode?: number;
}

// 1 MiB reads: 16 chunks per call keeps syscall overhead low without holding much memory.
const READ_SIZE = 1024 * 1024;

interface Session {
  push(data: Uint8Array): Uint8Array[] | Promise<Uint8Array[]>;
  finish(): Uint8Array[] | Promise<Uint8Array[]>;
}

/** The temp file beside `dst` that atomic writes go through: hidden, random, same folder. */
export function tempBeside(dst: string): string {
  return join(dirname(dst), `.${basename(dst)}.${randomBytes(6).toString("hex")}.tmp`);
}

/** Writes every byte of `parts` with vectored writes (looping over partial ones). */
export async function writeAll(fh: FileHandle, parts: Uint8Array[], path: string): Promise<void> {
  if (parts.length === 0) return;
  try {
    // writev may write partially; loop until everything is out.
    let list = parts;
    while (list.length > 0) {
      const { bytesWritten } = await fh.writev(list);
      let n = bytesWritten;
      let i = 0;
      while (i < list.length && n >= (list[i] as Uint8Array).length) n -= (list[i++] as Uint8Array).length;
      list = list.slice(i);
      if (n > 0 && list.length > 0) list[0] = (list[0] as Uint8Array).subarray(n);
    }
  } catch (e) {
    throw ioError(e, path);
  }
}

/** Makes the rename durable; best effort, as some platforms cannot open a directory. */
async function syncDirectory(path: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(path, "r");
    await fh.sync();
  } catch {
    // The data itself was fsynced before the rename; only the directory entry may lag.
  } finally {
    await fh?.close().catch(() => {});
  }
}

function fileMode(mode: number | undefined): number {
  if (mode === undefined) return 0o600;
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o777) {
    throw new AgeError(
      "ERR_AGE_USAGE",
      `mode: expected permission bits from 0 to 0o777, got ${String(mode)}`,
    );
  }
  return mode;
}

/**
 * Makes the temp file durable and moves it into place: fsync, close, rename, then an fsync of
 * the folder. On failure the caller removes `tmp` (closing `fh` again is harmless).
 */
export async function commitTemp(fh: FileHandle, tmp: string, dst: string): Promise<void> {
  try {
    await fh.sync();
    await fh.close();
    await rename(tmp, dst);
  } catch (e) {
    await fh.close().catch(() => {});
    throw ioError(e, dst);
  }
  await syncDirectory(dirname(dst));
}

async function run(
  src: string,
  dst: string,
  mode: number | undefined,
  signal: AbortSignal | undefined,
  makeSession: (total: number) => Session,
  first?: (s: Session) => Promise<Uint8Array[]>,
): Promise<void> {
  checkAbort(signal);
  const perm = fileMode(mode);
  let total: number;
  try {
    total = (await stat(src)).size;
  } catch (e) {
    throw ioError(e, src);
  }
  const session = makeSession(total);
  const tmp = tempBeside(dst);
  let input: FileHandle | undefined;
  let output: FileHandle | undefined;
  try {
    try {
      input = await open(src, "r");
    } catch (e) {
      throw ioError(e, src);
    }
    try {
      output = await open(tmp, "wx", perm);
    } catch (e) {
      throw ioError(e, dst);
    }
    if (first) await writeAll(output, await first(session), tmp);
    const fin = input;
    const fout = output;
    const read = (b: Uint8Array): Promise<number> =>
      fin.read(b, 0, b.length, null).then(
        (r) => r.bytesRead,
        (e) => {
          throw ioError(e, src);
        },
      );
    // Two buffers, so the next read runs on libuv's thread pool while this block is sealed or
    // opened and the previous block's output is being written: I/O overlaps the cipher. A
    // session has finished with its input when its push settles (its output is fresh arrays).
    let cur = new Uint8Array(READ_SIZE);
    let spare = new Uint8Array(READ_SIZE);
    let writing: Promise<void> = Promise.resolve();
    checkAbort(signal);
    let n = await read(cur);
    while (n > 0) {
      checkAbort(signal);
      const next = read(spare);
      next.catch(() => {}); // observed below; this only keeps an early exit from leaving it unhandled
      const parts = await session.push(cur.subarray(0, n));
      await writing;
      writing = writeAll(fout, parts, tmp);
      writing.catch(() => {});
      n = await next;
      [cur, spare] = [spare, cur];
    }
    await writing;
    await writeAll(output, await session.finish(), tmp);
    const done = output;
    output = undefined;
    await commitTemp(done, tmp, dst);
  } catch (e) {
    await output?.close().catch(() => {});
    output = undefined;
    await unlink(tmp).catch(() => {});
    throw e;
  } finally {
    await input?.close().catch(() => {});
  }
}

/**
 * Encrypts the file `src` into `dst` atomically (temp file beside `dst`, fsync, rename). On any
 * failure `dst` is untouched and the temp file removed.
 *
 * @throws AgeError ERR_AGE_IO (errno, syscall, path kept), ERR_AGE_USAGE, ERR_AGE_KEY, ERR_AGE_ABORTED.
 * @example
 * ```ts
 * await encryptFile("report.pdf", "report.pdf.age", { recipients: ["age1..."] });
 * ```
 */
export async function encryptFile(src: string, dst: string, o: EncryptOptions & FileOptions): Promise<void> {
  await run(
    src,
    dst,
    o.mode,
    o.signal,
    (total) => {
      const s = new EncryptSession(o, total, parallelSealer);
      return { push: (d) => s.pushAny(d), finish: () => s.finishAny(), start: () => s.start() };
    },
    (s) => (s as Session & { start(): Promise<Uint8Array[]> }).start(),
  );
}

/**
 * Decrypts the age file `src` (binary or armored) into `dst` atomically. On any failure,
 * including a payload that fails authentication at the very end, `dst` is untouched and the
 * temp file removed, so no unauthenticated or partial plaintext is ever visible at `dst`.
 *
 * @throws AgeError ERR_AGE_IO, ERR_AGE_HEADER, ERR_AGE_NO_MATCH, ERR_AGE_HMAC, ERR_AGE_PAYLOAD,
 * ERR_AGE_ARMOR, ERR_AGE_KEY, ERR_AGE_USAGE, ERR_AGE_ABORTED.
 */
export async function decryptFile(src: string, dst: string, o: DecryptOptions & FileOptions): Promise<void> {
  await run(src, dst, o.mode, o.signal, () => new DecryptSession(o, undefined, parallelOpener));
}
