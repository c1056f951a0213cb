// POSIX tar headers (IEEE Std 1003.1, "ustar Interchange Format" and "pax Interchange Format"),
// written here instead of through a tar library: encoding one header is a few field copies, and the
// packer can then lay headers and small files into one buffer. Pure: no I/O.

/** One entry as the packer describes it. Owners are always dropped (uid/gid 0, no names). */
export interface TarEntryHeader {
  /** `/`-separated path; a directory's ends with `/`. */
  name: string;
  type: "file" | "directory" | "symlink";
  mode: number;
  size: number;
  /** Whole seconds since the epoch. */
  mtime: number;
  linkname?: string | undefined;
}

export const BLOCK = 512;
/** Two zero blocks end an archive. */
export const END_OF_ARCHIVE_BYTES = 2 * BLOCK;
// The ustar size field holds 11 octal digits: sizes up to 8 GiB - 1; beyond, a pax `size` record.
const USTAR_MAX_SIZE = 8 ** 11 - 1;
const NAME = 100;
const PREFIX = 155;
const TYPE_FLAG = { file: 0x30, directory: 0x35, symlink: 0x32 } as const;
const PAX_FLAG = 0x78; // 'x': extended header for the next entry
const utf8 = new TextEncoder();

/** Bytes of zero padding after `size` bytes of content. */
export function paddingAfter(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function octal(block: Uint8Array, at: number, width: number, value: number): void {
  // width - 1 digits, then NUL, as ustar writes numeric fields.
  const digits = value.toString(8).padStart(width - 1, "0");
  for (let i = 0; i < width - 1; i++) block[at + i] = digits.charCodeAt(i);
  block[at + width - 1] = 0;
}

/** Splits a path too long for `name` into ustar's prefix and name at a `/`; null when it cannot. */
function splitName(path: Uint8Array): [Uint8Array, Uint8Array] | null {
  if (path.length > PREFIX + 1 + NAME) return null;
  // The prefix is everything before a slash, the name everything after it.
  for (let i = Math.min(path.length - 1, PREFIX); i > 0; i--) {
    if (path[i] !== 0x2f) continue;
    const rest = path.length - i - 1;
    if (rest > NAME) return null;
    if (rest > 0) return [path.subarray(0, i), path.subarray(i + 1)];
  }
  return null;
}

function ustarBlock(
  name: Uint8Array,
  prefix: Uint8Array | null,
  flag: number,
  mode: number,
  size: number,
  mtime: number,
  linkname: Uint8Array | null,
): Uint8Array {
  const b = new Uint8Array(BLOCK);
  b.set(name, 0);
  octal(b, 100, 8, mode & 0o7777);
  octal(b, 108, 8, 0);
  octal(b, 116, 8, 0);
  octal(b, 124, 12, size);
  octal(b, 136, 12, mtime);
  b[156] = flag;
  if (linkname) b.set(linkname, 157);
  b.set(utf8.encode("ustar\u000000"), 257);
  octal(b, 329, 8, 0);
  octal(b, 337, 8, 0);
  if (prefix) b.set(prefix, 345);
  // The checksum is the byte sum with its own field counted as eight spaces.
  let sum = 8 * 0x20;
  for (let i = 0; i < BLOCK; i++) if (i < 148 || i >= 156) sum += b[i] as number;
  const digits = sum.toString(8).padStart(6, "0");
  for (let i = 0; i < 6; i++) b[148 + i] = digits.charCodeAt(i);
  b[154] = 0;
  b[155] = 0x20;
  return b;
}

/** One pax record: "LEN key=value\n", where LEN counts the whole record, its own digits included. */
function paxRecord(key: string, value: Uint8Array): Uint8Array {
  const body = utf8.encode(` ${key}=`);
  const rest = body.length + value.length + 1;
  let len = rest + String(rest).length;
  if (String(len).length !== String(rest).length) len = rest + String(len).length;
  const out = new Uint8Array(len);
  const digits = utf8.encode(String(len));
  out.set(digits, 0);
  out.set(body, digits.length);
  out.set(value, digits.length + body.length);
  out[len - 1] = 0x0a;
  return out;
}

/**
 * The header blocks of one entry: a pax extended header first when the path or link target does not
 * fit ustar's fields or the size exceeds its 11 octal digits, then the ustar header.
 *
 * @throws RangeError for a negative or non-integer size or mtime.
 */
export function encodeHeader(h: TarEntryHeader): Uint8Array {
  if (!Number.isSafeInteger(h.size) || h.size < 0) throw new RangeError(`size: invalid ${h.size}`);
  if (!Number.isSafeInteger(h.mtime) || h.mtime < 0) throw new RangeError(`mtime: invalid ${h.mtime}`);
  const path = utf8.encode(h.name);
  const link = h.linkname === undefined ? null : utf8.encode(h.linkname);
  const records: Uint8Array[] = [];
  let name: Uint8Array = path;
  let prefix: Uint8Array | null = null;
  if (path.length > NAME) {
    const split = splitName(path);
    if (split) [prefix, name] = split;
    else {
      records.push(paxRecord("path", path));
      name = path.subarray(0, NAME);
    }
  }
  let linkField: Uint8Array | null = link;
  if (link && link.length > NAME) {
    records.push(paxRecord("linkpath", link));
    linkField = link.subarray(0, NAME);
  }
  let size = h.size;
  if (size > USTAR_MAX_SIZE) {
    records.push(paxRecord("size", utf8.encode(String(size))));
    size = 0;
  }
  const header = ustarBlock(name, prefix, TYPE_FLAG[h.type], h.mode, size, h.mtime, linkField);
  if (records.length === 0) return header;
  let paxBytes = 0;
  for (const r of records) paxBytes += r.length;
  const paxName = utf8.encode("PaxHeader");
  const out = new Uint8Array(BLOCK + paxBytes + paddingAfter(paxBytes) + BLOCK);
  out.set(ustarBlock(paxName, null, PAX_FLAG, 0o644, paxBytes, h.mtime, null), 0);
  let at = BLOCK;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  out.set(header, out.length - BLOCK);
  return out;
}
