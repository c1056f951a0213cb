// Random access to a binary age file: any plaintext range decrypts only the chunks it covers.
import { loadBackend } from "../backend/select.js";
import { AgeError, checkAbort, headerError } from "../errors.js";
import { ArmorDecoder } from "../format/armor.js";
import { type Header, parseHeader } from "../format/header.js";
import { MAX_HEADER_BYTES } from "../format/limits.js";
import { sniffInput } from "../format/sniff.js";
import { type DecryptKeys, decryptKeys, unlockPayloadKey } from "../session/decrypt.js";
import type { DecryptOptions } from "../session/options.js";
import { CHUNK_SIZE, NONCE_SIZE, openChunk, SEALED_CHUNK_SIZE } from "../stream/chunk.js";
import { chunkSpan, payloadLayout } from "../stream/size.js";

/** Anything that can report its size and read byte ranges: a file, a Blob, an HTTP object. */
export interface RangeSource {
  size(): Promise<number>;
  /** Exactly `length` bytes at `offset` (the caller never asks past the end). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Optional: release what the source holds. */
  close?(): Promise<void>;
}

/** An opened age file whose plaintext can be read at any offset. */
export interface EncryptedFile {
  /** Plaintext size, trusted: the final chunk authenticated when the file was opened. */
  readonly size: number;
  /** Size of the age header in bytes. */
  readonly headerBytes: number;
  /** Counters, mainly for tests and tuning: chunks decrypted and ciphertext bytes read. */
  readonly stats: { chunksOpened: number; bytesRead: number };
  /**
   * Reads up to `length` plaintext bytes at `offset`; fewer at the end, none past it. Every
   * byte returned is authenticated.
   *
   * @throws AgeError ERR_AGE_PAYLOAD (a chunk failed authentication), ERR_AGE_IO; RangeError
   * for a negative or non-integer argument.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

function checkArg(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${name}: expected a non-negative safe integer, got ${n}`);
  }
}

function shortRead(got: number, want: number, offset: number): never {
  throw new AgeError(
    "ERR_AGE_IO",
    `range source returned ${got} bytes at offset ${offset} where ${want} were asked; it changed while open or does not serve ranges`,
  );
}

async function readExact(
  src: RangeSource,
  offset: number,
  length: number,
  stats: { bytesRead: number },
): Promise<Uint8Array> {
  if (length === 0) return new Uint8Array(0);
  const b = await src.read(offset, length);
  if (b.length !== length) shortRead(b.length, length, offset);
  stats.bytesRead += length;
  return b;
}

/** Reads and parses the header of a binary age file from a range source. @throws AgeError ERR_AGE_ARMORED, ERR_AGE_NOT_AGE, ERR_AGE_HEADER, ERR_AGE_IO */
export async function readHeader(
  src: RangeSource,
  total: number,
  stats: { bytesRead: number },
): Promise<{ header: Header; length: number }> {
  let want = Math.min(total, 4096);
  for (;;) {
    const buf = await readExact(src, 0, want, stats);
    const kind = sniffInput(buf);
    if (kind === "not-age" || (kind === "undecided" && want === total && total > 0)) {
      // The armor decoder holds the one rule for what is damaged armor and what is not age at all.
      new ArmorDecoder().push(buf);
      throw new AgeError(
        "ERR_AGE_NOT_AGE",
        "the input is not an age file; check that you gave the right file",
      );
    }
    if (kind === "armored") {
      throw new AgeError(
        "ERR_AGE_ARMORED",
        "random access needs a binary age file, this one is ASCII-armored; dearmor it first (decrypt it whole, or re-encrypt without armor)",
      );
    }
    const parsed = parseHeader(buf);
    if (parsed) return parsed;
    if (want === total) headerError(total === 0 ? "input is empty" : "header is truncated");
    want = Math.min(total, want * 4, MAX_HEADER_BYTES);
  }
}

/** A {@link RangeSource} over a Blob or File (browser or Node). */
export function blobRangeSource(blob: Blob): RangeSource {
  return {
    async size() {
      return blob.size;
    },
    async read(offset, length) {
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    },
  };
}

/** The part of `fetch` that {@link httpRangeSource} uses. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; signal?: AbortSignal },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}>;

function httpError(url: string, what: string): AgeError {
  return new AgeError(
    "ERR_AGE_IO",
    `HTTP range read of ${url}: ${what}; check the URL and that the server supports Range requests`,
  );
}

/**
 * A {@link RangeSource} over HTTP(S) Range requests (`206 Partial Content`). The size comes
 * from `Content-Range` of a one-byte request, so presigned GET-only URLs work.
 *
 * @throws AgeError ERR_AGE_IO (from its methods) when the server ignores ranges or fails.
 */
export function httpRangeSource(
  url: string | URL,
  fetchFn: FetchLike = globalThis.fetch as unknown as FetchLike,
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): RangeSource {
  const href = String(url);
  const get = async (range: string) => {
    const o: Parameters<FetchLike>[1] = { method: "GET", headers: { ...init.headers, Range: range } };
    if (init.signal) o.signal = init.signal;
    try {
      return await fetchFn(href, o);
    } catch (e) {
      throw new AgeError("ERR_AGE_IO", `HTTP range read of ${href} failed; check the URL and the network`, {
        cause: e,
      });
    }
  };
  return {
    async size() {
      const res = await get("bytes=0-0");
      const cr = res.headers.get("content-range") ?? "";
      await res.arrayBuffer().catch(() => {});
      // 416 with `bytes */0` is how a server answers a range request for an empty object.
      const m = /^bytes (?:\d+-\d+|\*)\/(\d+)$/.exec(cr.trim());
      if ((res.status !== 206 && res.status !== 416) || !m)
        throw httpError(href, `no usable Content-Range (status ${res.status})`);
      return Number(m[1]);
    },
    async read(offset, length) {
      const res = await get(`bytes=${offset}-${offset + length - 1}`);
      if (res.status !== 206) throw httpError(href, `status ${res.status} instead of 206`);
      const cr = res.headers.get("content-range") ?? "";
      if (!cr.startsWith(`bytes ${offset}-`))
        throw httpError(href, `Content-Range ${JSON.stringify(cr)} does not match the request`);
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}

/**
 * Opens a binary age file for random access. The header is parsed and the key unwrapped
 * (MAC checked), then the FINAL chunk is authenticated before anything else, so `size` is
 * trusted and truncation or appended data are caught at open time (c2sp.org/age: a seek
 * relative to the end must first authenticate the final chunk). A read of N bytes decrypts
 * at most ceil(N / 64 KiB) + 1 chunks.
 *
 * @param source any {@link RangeSource} ({@link blobRangeSource}, {@link httpRangeSource}, or on
 * Node a path or `fileRangeSource`); it is closed with the file, or when opening fails.
 * @throws AgeError ERR_AGE_ARMORED (armored input: dearmor first), ERR_AGE_HEADER,
 * ERR_AGE_NO_MATCH, ERR_AGE_HMAC, ERR_AGE_PAYLOAD, ERR_AGE_KEY, ERR_AGE_USAGE, ERR_AGE_IO,
 * ERR_AGE_ABORTED.
 * @example
 * ```ts
 * const f = await openEncrypted(blobRangeSource(file), { identities: [key] });
 * const tail = await f.read(f.size - 100, 100);
 * await f.close();
 * ```
 */
export async function openEncrypted(source: RangeSource, o: DecryptOptions): Promise<EncryptedFile> {
  const keys = decryptKeys(o);
  checkAbort(o.signal);
  try {
    return await openOn(source, o, keys);
  } catch (e) {
    await source.close?.();
    throw e;
  }
}

async function openOn(src: RangeSource, o: DecryptOptions, keys: DecryptKeys): Promise<EncryptedFile> {
  const backend = await loadBackend(o.backend);
  const stats = { chunksOpened: 0, bytesRead: 0 };
  const total = await src.size();
  checkArg("size", total);
  const { header, length: headerBytes } = await readHeader(src, total, stats);
  const { chunks, plaintextBytes } = payloadLayout(total - headerBytes);
  const nonce = await readExact(src, headerBytes, NONCE_SIZE, stats);
  const key = await unlockPayloadKey(header, keys, nonce, backend);
  const payloadStart = headerBytes + NONCE_SIZE;
  const lastIndex = chunks - 1;
  const lastStart = payloadStart + lastIndex * SEALED_CHUNK_SIZE;
  checkAbort(o.signal);
  const finalPlain = openChunk(
    backend,
    key,
    lastIndex,
    true,
    await readExact(src, lastStart, total - lastStart, stats),
  );
  stats.chunksOpened++;
  // One recently opened chunk is kept, so small sequential reads do not reopen it.
  let cached: { index: number; plain: Uint8Array } | null = null;
  let closed = false;

  const read = async (offset: number, length: number): Promise<Uint8Array> => {
    checkArg("offset", offset);
    checkArg("length", length);
    if (closed) throw new AgeError("ERR_AGE_USAGE", "read after close; open the file again");
    const span = chunkSpan(offset, length, plaintextBytes);
    if (span === null) return new Uint8Array(0);
    const [first, last] = span;
    const end = Math.min(offset + length, plaintextBytes);
    const out = new Uint8Array(end - offset);
    const plainOf = new Map<number, Uint8Array>();
    if (last === lastIndex) plainOf.set(lastIndex, finalPlain);
    if (cached && cached.index >= first && cached.index <= last) plainOf.set(cached.index, cached.plain);
    // Read the missing non-final chunks of the span in one request.
    let lo = first;
    while (plainOf.has(lo) && lo <= last) lo++;
    let hi = Math.min(last, lastIndex - 1);
    while (hi >= lo && plainOf.has(hi)) hi--;
    if (lo <= hi) {
      const sealed = await readExact(
        src,
        payloadStart + lo * SEALED_CHUNK_SIZE,
        (hi - lo + 1) * SEALED_CHUNK_SIZE,
        stats,
      );
      for (let i = lo; i <= hi; i++) {
        if (plainOf.has(i)) continue;
        const at = (i - lo) * SEALED_CHUNK_SIZE;
        plainOf.set(i, openChunk(backend, key, i, false, sealed.subarray(at, at + SEALED_CHUNK_SIZE)));
        stats.chunksOpened++;
      }
    }
    for (let i = first; i <= last; i++) {
      const plain = plainOf.get(i) as Uint8Array;
      const chunkStart = i * CHUNK_SIZE;
      const from = Math.max(offset, chunkStart) - chunkStart;
      const to = Math.min(end, chunkStart + plain.length) - chunkStart;
      out.set(plain.subarray(from, to), chunkStart + from - offset);
    }
    if (last !== lastIndex) cached = { index: last, plain: plainOf.get(last) as Uint8Array };
    return out;
  };

  return {
    size: plaintextBytes,
    headerBytes,
    stats,
    read,
    async close() {
      closed = true;
      await src.close?.();
    },
  };
}
