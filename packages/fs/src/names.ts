// Rules for names that come from somewhere untrusted (an archive entry, an object key) and are
// about to become files: one place for what the archive extractor and the S3 download refuse.
// Pure: no filesystem access.

/** The longest name most filesystems hold (ext4, XFS, Btrfs, APFS): 255 bytes. */
export const MAX_NAME_BYTES = 255;

const utf8 = new TextEncoder();

/** Bytes of `name` in UTF-8, the unit of {@link MAX_NAME_BYTES}. */
export function nameBytes(name: string): number {
  return utf8.encode(name).length;
}

/** True if `s` holds C0, DEL or C1 controls: terminals interpret them, and NUL truncates names in C APIs. */
export function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

/**
 * True if `s` holds a bidirectional control (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
 * U+061C): they reorder how a name is displayed, so `invoice\u202Efdp.exe` shows as
 * `invoiceexe.pdf`. No legitimate file name needs one.
 */
export function hasBidiControl(s: string): boolean {
  return BIDI.test(s);
}

const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
