// File to file, atomically: the output goes through @dms/fs's openOutput (a temp file beside the
// destination, fsynced and renamed into place only on success; devices and FIFOs written directly,
// symlinks written through, an existing file's mode kept). This path skips stream adapters and drives
// the sessions directly with large reads and vectored writes.
import { type FileHandle, open, stat } from "node:fs/promises";
import { type OutputFile, openOutput } from "@dms/fs";
import { AgeError, checkAbort, ioError } from "../errors.js";
import { DecryptSession } from "../session/decrypt.js";
import { EncryptSession } from "../session/encrypt.js";
import type { DecryptOptions, EncryptOptions } from "../session/options.js";
import { parallelOpener, parallelSealer } from "../workers/parallel.js";

/** Options of {@link encryptFile} and {@link decryptFile} beyond encryption's and decryption's own. */
export interface FileOptions {
  /**
   * Permission bits of the file created, before the process umask applies (as for `open(2)`).
   * Default 0o600: owner only. 0o666 gives what `age -o` and `cp` give (0644 under umask 022).
   */
  mode?: number | undefined;
}

// 1 MiB reads: 16 chunks per call keeps syscall overhead low without holding much memory.
const READ_SIZE = 1024 * 1024;

/** What both sessions offer a file copy: an optional start (the encrypt header), then push and finish. */
interface Session {
  start?(): Promise<Uint8Array[]>;
  push(data: Uint8Array): Promise<Uint8Array[]>;
  finish(): Promise<Uint8Array[]>;
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

/** A path argument must be a non-empty string: anything else is the caller's bug, not an I/O error. */
export function checkPath(name: string, value: unknown): void {
  if (typeof value !== "string" || value === "") {
    const got = typeof value === "string" ? "an empty string" : value === null ? "null" : typeof value;
    throw new TypeError(`${name}: expected a file path (a non-empty string), got ${got}`);
  }
}

async function run(
  src: string,
  dst: string,
  mode: number | undefined,
  signal: AbortSignal | undefined,
  makeSession: (total: number) => Session,
): Promise<void> {
  checkPath("src", src);
  checkPath("dst", dst);
  checkAbort(signal);
  const perm = fileMode(mode);
  let total: number;
  try {
    total = (await stat(src)).size;
  } catch (e) {
    throw ioError(e, src);
  }
  const session = makeSession(total);
  let input: FileHandle | undefined;
  let output: OutputFile | undefined;
  try {
    try {
      input = await open(src, "r");
    } catch (e) {
      throw ioError(e, src);
    }
    output = await openOutput(dst, { mode: perm });
    const out = output;
    const write = (parts: Uint8Array[]) => out.writev(parts);
    if (session.start) await write(await session.start());
    const fin = input;
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
      writing = write(parts);
      writing.catch(() => {});
      n = await next;
      [cur, spare] = [spare, cur];
    }
    await writing;
    await write(await session.finish());
    output = undefined;
    await out.commit();
  } catch (e) {
    await output?.abort();
    throw ioError(e, dst);
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
  await run(src, dst, o.mode, o.signal, (total) => {
    return new EncryptSession(o, total, parallelSealer);
  });
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
