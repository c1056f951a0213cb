import { hasBidiControl, hasControl, MAX_NAME_BYTES, nameBytes } from "@dms/fs";
import { type ArchiveErrorCode, archiveError, UNTRUSTED } from "./errors.js";

/** Caps on what one archive may create; every one has a default and can be lowered or raised. */
export interface ExtractOptions {
  /** Allow symlinks and hardlinks that stay inside the target directory. Default false. */
  allowLinks?: boolean | undefined;
  /** Most entries (files, directories, links) in the archive. Default 1 000 000. */
  maxEntries?: number | undefined;
  /** Most bytes of file content in total. Default 64 GiB. */
  maxTotalBytes?: number | undefined;
  /** Most path components of one entry. Default 64. */
  maxDepth?: number | undefined;
  /** Most UTF-8 bytes of one entry's path. Default 4096. */
  maxPathLength?: number | undefined;
  /**
   * fsync every file and directory before the tree is moved into place, so it survives a
   * crash right after extraction. Default false: one fsync per file is slow for many files.
   */
  fsync?: boolean | undefined;
}

/** The caps in force when an option is not given. */
export const EXTRACT_DEFAULTS = {
  maxEntries: 1_000_000,
  maxTotalBytes: 64 * 1024 ** 3,
  maxDepth: 64,
  maxPathLength: 4096,
} as const;

/** ExtractOptions with every cap resolved. */
export interface Limits {
  allowLinks: boolean;
  maxEntries: number;
  maxTotalBytes: number;
  maxDepth: number;
  maxPathLength: number;
  fsync: boolean;
}

function cap(name: keyof typeof EXTRACT_DEFAULTS, value: number | undefined): number {
  if (value === undefined) return EXTRACT_DEFAULTS[name];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name}: expected a non-negative safe integer, got ${String(value)}`);
  }
  return value;
}

/** Resolves options to limits. @throws RangeError for a cap that is not a non-negative integer. */
export function resolveLimits(o: ExtractOptions = {}): Limits {
  return {
    allowLinks: o.allowLinks === true,
    maxEntries: cap("maxEntries", o.maxEntries),
    maxTotalBytes: cap("maxTotalBytes", o.maxTotalBytes),
    maxDepth: cap("maxDepth", o.maxDepth),
    maxPathLength: cap("maxPathLength", o.maxPathLength),
    fsync: o.fsync === true,
  };
}

// Code points HFS+ drops when it compares names (zero-width joiners and non-joiners, the
// deprecated format controls U+206A–U+206F, the byte order mark): `.g\u200Cit` is `.git` there.
const IGNORABLE = /[\u200B-\u200F\u202A-\u202E\u206A-\u206F\uFEFF]/gu;

const DRIVE = /^[A-Za-z]:/;

function refuse(code: ArchiveErrorCode, name: string, problem: string): never {
  throw archiveError(code, name, problem, UNTRUSTED);
}

/**
 * Checks one archive path and returns its components (`.` and empty ones dropped). An empty
 * result means the archive root itself (`./`).
 *
 * @throws AgeError ERR_ARCHIVE_CONTROL_CHAR (also for bidirectional controls), ERR_ARCHIVE_BACKSLASH, ERR_ARCHIVE_DRIVE_LETTER,
 * ERR_ARCHIVE_ABSOLUTE_PATH, ERR_ARCHIVE_TRAVERSAL, ERR_ARCHIVE_PATH_TOO_LONG, ERR_ARCHIVE_TOO_DEEP.
 */
export function checkName(name: string, limits: Pick<Limits, "maxDepth" | "maxPathLength">): string[] {
  if (hasControl(name))
    refuse("ERR_ARCHIVE_CONTROL_CHAR", name, "the name contains NUL or a control character");
  if (hasBidiControl(name)) {
    refuse(
      "ERR_ARCHIVE_CONTROL_CHAR",
      name,
      "the name contains a bidirectional control character, which can disguise it",
    );
  }
  // A backslash is a separator on Windows, so `a\..\..\x` or `\\server\share` would escape there.
  if (name.includes("\\")) refuse("ERR_ARCHIVE_BACKSLASH", name, "the name contains a backslash");
  if (DRIVE.test(name)) refuse("ERR_ARCHIVE_DRIVE_LETTER", name, "the name starts with a drive letter");
  if (name.startsWith("/")) refuse("ERR_ARCHIVE_ABSOLUTE_PATH", name, "the name is an absolute path");
  const parts: string[] = [];
  for (const part of name.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") refuse("ERR_ARCHIVE_TRAVERSAL", name, "the name contains a `..` component");
    if (nameBytes(part) > MAX_NAME_BYTES) {
      refuse("ERR_ARCHIVE_PATH_TOO_LONG", name, `a path component is longer than ${MAX_NAME_BYTES} bytes`);
    }
    parts.push(part);
  }
  if (nameBytes(parts.join("/")) > limits.maxPathLength) {
    refuse(
      "ERR_ARCHIVE_PATH_TOO_LONG",
      name,
      `the path is longer than ${limits.maxPathLength} bytes (maxPathLength)`,
    );
  }
  if (parts.length > limits.maxDepth) {
    refuse("ERR_ARCHIVE_TOO_DEEP", name, `the path is deeper than ${limits.maxDepth} levels (maxDepth)`);
  }
  return parts;
}

/**
 * The key under which two names count as the same file on a case-insensitive or
 * normalising filesystem (APFS, HFS+, NTFS): HFS+'s ignorable code points dropped, then NFD,
 * upper, lower case, so NFC/NFD spellings, case variants, `ß`/`ss` and names that differ by
 * an invisible joiner all meet. It is deliberately broader than any one filesystem: refusing
 * a rare legitimate pair is cheaper than one overwrite.
 */
export function foldKey(path: string): string {
  return path.replace(IGNORABLE, "").normalize("NFD").toUpperCase().toLowerCase().normalize("NFC");
}
