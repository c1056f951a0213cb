// Random access and inspect on files by path: the Node side of access/, which itself reads any
// RangeSource and so also runs in browsers.
import { type FileHandle, open } from "node:fs/promises";
import { type InspectResult, inspect as inspectSource } from "../access/inspect.js";
import { type EncryptedFile, openEncrypted as openSource, type RangeSource } from "../access/range.js";
import { ioError } from "../errors.js";
import type { DecryptOptions } from "../session/options.js";

/** A {@link RangeSource} over an open file handle (not closed by the source). */
export function fileRangeSource(fh: FileHandle): RangeSource {
  return {
    async size() {
      try {
        return (await fh.stat()).size;
      } catch (e) {
        throw ioError(e);
      }
    },
    async read(offset, length) {
      const buf = new Uint8Array(length);
      let n = 0;
      try {
        while (n < length) {
          const { bytesRead } = await fh.read(buf, n, length - n, offset + n);
          if (bytesRead === 0) break;
          n += bytesRead;
        }
      } catch (e) {
        throw ioError(e);
      }
      return n === length ? buf : buf.subarray(0, n);
    },
  };
}

/**
 * A source over the file at `path`, opened on first use (so option errors come first) and closed
 * with the source. Its methods throw AgeError ERR_AGE_IO.
 */
function pathSource(path: string): RangeSource {
  let fh: Promise<FileHandle> | undefined;
  const handle = () => {
    fh ??= open(path, "r").catch((e: unknown) => {
      throw ioError(e, path);
    });
    return fh;
  };
  return {
    size: async () => fileRangeSource(await handle()).size(),
    read: async (offset, length) => fileRangeSource(await handle()).read(offset, length),
    async close() {
      if (fh) await (await fh.catch(() => undefined))?.close().catch(() => {});
    },
  };
}

/**
 * {@link openEncrypted} of `access/range.ts`, also taking a path.
 *
 * @example
 * ```ts
 * const f = await openEncrypted("video.age", { identities: [key] });
 * const tail = await f.read(f.size - 100, 100);
 * await f.close();
 * ```
 */
export async function openEncrypted(source: RangeSource | string, o: DecryptOptions): Promise<EncryptedFile> {
  return openSource(typeof source === "string" ? pathSource(source) : source, o);
}

/**
 * {@link inspect} of `access/inspect.ts`, also taking a path.
 *
 * @example
 * ```ts
 * const info = await inspect("backup.age");
 * if (info.stanzas.some((s) => s.type === "scrypt")) askForPassphrase();
 * ```
 */
export async function inspect(source: string | Uint8Array | RangeSource): Promise<InspectResult> {
  if (typeof source !== "string") return inspectSource(source);
  const src = pathSource(source);
  try {
    return await inspectSource(src);
  } finally {
    await src.close?.();
  }
}
