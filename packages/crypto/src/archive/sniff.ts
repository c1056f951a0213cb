// What the bytes given to the tar layer are: a tar, a compressed tar, or something else. Decided on
// the first 512 bytes, before anything is extracted.
import { PassThrough, pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { archiveError } from "./errors.js";

const COMPRESSIONS: [string, number[]][] = [
  ["bzip2", [0x42, 0x5a, 0x68]],
  ["xz", [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ["zstd", [0x28, 0xb5, 0x2f, 0xfd]],
  ["lzip", [0x4c, 0x5a, 0x49, 0x50]],
  ["compress (.Z)", [0x1f, 0x9d]],
];

const starts = (b: Uint8Array, magic: number[]) => magic.every((m, i) => b[i] === m);

/** True when `block` (512 bytes) has a valid tar header checksum (ustar, GNU and v7 all carry one). */
function isTarHeader(block: Uint8Array): boolean {
  if (block.length < 512) return false;
  const field = new TextDecoder("latin1")
    .decode(block.subarray(148, 156))
    .replace(/[\0 ]+$/g, "")
    .trim();
  if (!/^[0-7]+$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] as number);
  return sum === Number.parseInt(field, 8);
}

function notTar(what: string, todo: string) {
  return archiveError("ERR_ARCHIVE_NOT_TAR", undefined, what, todo);
}

/**
 * The tar bytes of `chunks`: gzip is undone (detected by its magic, as `tar -x` does); another
 * compression, or content that is not a tar at all, is refused before anything is written.
 */
export async function* tarBytes(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  const first: Uint8Array[] = [];
  let have = 0;
  let done = false;
  while (have < 512) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    first.push(r.value);
    have += r.value.length;
  }
  const head = Buffer.concat(first);
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (head.length > 0) yield head;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const out = new PassThrough();
    const gunzip = createGunzip();
    pipeline(PassThrough.from(rest()), gunzip, out, () => {});
    // The decompressed bytes are checked like any tar (a gzipped non-tar is refused too).
    yield* tarBytes(out);
    return;
  }
  for (const [name, magic] of COMPRESSIONS) {
    if (starts(head, magic)) {
      throw notTar(
        `the content is ${name}-compressed, which extraction does not undo (only gzip is)`,
        `decrypt without -x and decompress it first, e.g. dms decrypt ... | ${name === "xz" ? "xz -d" : name === "zstd" ? "zstd -d" : name === "bzip2" ? "bzip2 -d" : "unlzip"} | tar -x`,
      );
    }
  }
  const empty = head.length >= 512 && head.subarray(0, 512).every((b) => b === 0);
  if (head.length > 0 && !empty && !isTarHeader(head.subarray(0, 512))) {
    throw notTar(
      "the decrypted content is not a tar archive (it is one encrypted file, not a directory)",
      "decrypt it without -x (dms decrypt -o FILE)",
    );
  }
  yield* rest();
}
