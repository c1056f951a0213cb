import { createReadStream } from "node:fs";
import { resolve } from "node:path";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { openOutput } from "@dms/fs";
import { decryptTransform } from "../adapters/node.js";
import { checkAbort, ioError } from "../errors.js";
import { checkPath } from "../fs/file.js";
import { decryptKeys } from "../session/decrypt.js";
import { EncryptSession } from "../session/encrypt.js";
import type { DecryptOptions, EncryptOptions } from "../session/options.js";
import { type ExtractResult, extractTar } from "./extract.js";
import type { ExtractOptions } from "./names.js";
import { type PackOptions, type PackResult, packPieces } from "./pack.js";

/** Options of {@link encryptDirectory}: encryption options plus the archive's mtime policy. */
export interface EncryptDirectoryOptions extends EncryptOptions {
  /**
   * Store this modification time on every entry (reproducible archives). Default: each
   * entry keeps its own mtime, in whole seconds, so extraction restores it.
   */
  mtime?: Date | undefined;
  /**
   * Refuse, before anything is written, a tree that {@link extractDirectory} would refuse even
   * with `allowLinks`: names that differ only by case or Unicode form, control characters or
   * backslashes in names, links that leave the tree or pass through another link. Default false:
   * `age -d | tar -x` restores such trees, and the check keeps every path in memory (about 200
   * bytes per entry), which the streaming walk otherwise does not.
   */
  checkExtractable?: boolean | undefined;
  /**
   * Called as file content is archived, with the bytes so far (the same measure extraction
   * reports, and what a tree's size in bytes adds up to), not the tar stream's bytes.
   */
  onProgress?: EncryptOptions["onProgress"] | undefined;
}

/** Options of {@link extractDirectory}: decryption options plus the extraction caps. */
export interface ExtractDirectoryOptions extends DecryptOptions, ExtractOptions {}

/**
 * Encrypts a directory tree as one POSIX tar inside one age stream, so that
 * `age -d -i key dir.tar.age | tar -x` restores it with standard tools. Entries are sorted
 * (byte order, parents first), modes normalised (0644, 0755 for directories and executable
 * files; 0600 / 0700 when only the owner had access), owners dropped; symlinks are stored as links, never followed; sockets, FIFOs and
 * devices are refused. Memory stays flat: files are streamed, never held.
 *
 * With `dst` a path the write is atomic (temp file beside it, fsync, rename; removed on
 * failure). With `dst` a stream, it is ended when the archive is complete.
 *
 * @returns the number of entries and of file bytes archived.
 * @throws AgeError ERR_ARCHIVE_SPECIAL_FILE, ERR_ARCHIVE_CHANGED, ERR_AGE_IO, ERR_AGE_USAGE,
 * ERR_AGE_KEY, ERR_AGE_ABORTED.
 * @example
 * ```ts
 * await encryptDirectory("results/", "results.tar.age", { recipients: ["age1..."] });
 * ```
 */
export async function encryptDirectory(
  dir: string,
  dst: string | NodeJS.WritableStream,
  o: EncryptDirectoryOptions,
): Promise<PackResult> {
  checkPath("dir", dir);
  if (typeof dst !== "string" && (typeof dst !== "object" || dst === null || !("write" in dst))) {
    throw new TypeError(
      `dst: expected a file path or a writable stream, got ${dst === null ? "null" : typeof dst}`,
    );
  }
  checkAbort(o.signal);
  const { mtime, checkExtractable, onProgress, ...encOptions } = o;
  const packOptions: PackOptions = { signal: o.signal };
  if (mtime !== undefined) packOptions.mtime = mtime;
  if (checkExtractable) packOptions.checkExtractable = true;
  if (onProgress) packOptions.onProgress = onProgress;
  // The tar goes straight into one session, a piece at a time, and out: no stream between them,
  // and one reused tar buffer (pack.ts), since each piece is sealed before the next is packed.
  const s = new EncryptSession(encOptions);
  const result: PackResult = { entries: 0, bytes: 0 };
  async function* ciphertext(): AsyncGenerator<Uint8Array[]> {
    yield await s.start();
    for await (const piece of packPieces(dir, packOptions, result)) yield await s.push(piece);
    yield await s.finish();
  }
  if (typeof dst !== "string") {
    async function* parts(): AsyncGenerator<Uint8Array> {
      for await (const batch of ciphertext()) yield* batch;
    }
    try {
      await pipeline(Readable.from(parts(), { objectMode: false }), dst as Writable);
    } catch (e) {
      throw ioError(e);
    }
    return result;
  }
  const out = await openOutput(dst, { mode: 0o600 }).catch((e: unknown) => {
    throw ioError(e, dst);
  });
  // The archive must not contain itself (or its temp file) when it is written inside the tree.
  packOptions.exclude = new Set([resolve(dst), ...(out.tempPath ? [resolve(out.tempPath)] : [])]);
  try {
    for await (const batch of ciphertext()) await out.writev(batch);
    await out.commit();
    return result;
  } catch (e) {
    await out.abort();
    throw ioError(e);
  }
}

/**
 * Decrypts an age-encrypted tar (from {@link encryptDirectory}, or `tar -c | age -e`) into
 * `dir`, which must be absent or empty. Hardened by default: absolute paths, `..`, drive
 * letters, backslashes, control and bidirectional characters, duplicates and case/Unicode collisions are
 * refused; only files and directories are written (links only with `allowLinks`, and only
 * inside `dir`); modes get the umask, lose set-id bits (see extractMode); entry count, total size, depth and path length
 * are capped. Everything goes to a staging directory beside `dir` that is renamed into place
 * only after the final chunk authenticated and the tar ended cleanly: on any failure `dir` is
 * left exactly as it was.
 *
 * @returns the number of entries and of file bytes written.
 * @throws AgeError ERR_ARCHIVE_* (one code per refusal), ERR_AGE_HEADER, ERR_AGE_NO_MATCH,
 * ERR_AGE_HMAC, ERR_AGE_PAYLOAD, ERR_AGE_ARMOR, ERR_AGE_KEY, ERR_AGE_USAGE, ERR_AGE_IO,
 * ERR_AGE_ABORTED; RangeError for a cap that is not a non-negative integer.
 * @example
 * ```ts
 * await extractDirectory("results.tar.age", "results/", { identities: [key] });
 * ```
 */
export async function extractDirectory(
  src: string | NodeJS.ReadableStream,
  dir: string,
  o: ExtractDirectoryOptions,
): Promise<ExtractResult> {
  if (typeof src !== "string" && (typeof src !== "object" || src === null || !("pipe" in src))) {
    throw new TypeError(
      `src: expected a file path or a readable stream, got ${src === null ? "null" : typeof src}`,
    );
  }
  checkPath("dir", dir);
  const { onProgress, allowLinks, maxEntries, maxTotalBytes, maxDepth, maxPathLength, ...decOptions } = o;
  // Checked before any I/O, so bad options fail before the staging directory exists.
  decryptKeys(decOptions);
  checkAbort(o.signal);
  const source = typeof src === "string" ? () => createReadStream(src, { highWaterMark: 1024 * 1024 }) : src;
  return extractTar(source, dir, o, () => [decryptTransform(decOptions, false)]);
}
