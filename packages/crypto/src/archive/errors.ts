import { AgeError } from "../errors.js";

/**
 * Codes of directory mode. Every refusal of a hostile or damaged archive has its own code, so
 * callers (and tests) can tell a traversal attempt from a size bomb without reading messages.
 */
export type ArchiveErrorCode =
  | "ERR_ARCHIVE_ABSOLUTE_PATH"
  | "ERR_ARCHIVE_TRAVERSAL"
  | "ERR_ARCHIVE_DRIVE_LETTER"
  | "ERR_ARCHIVE_BACKSLASH"
  | "ERR_ARCHIVE_CONTROL_CHAR"
  | "ERR_ARCHIVE_DUPLICATE"
  | "ERR_ARCHIVE_COLLISION"
  | "ERR_ARCHIVE_LINK"
  | "ERR_ARCHIVE_SPECIAL_FILE"
  | "ERR_ARCHIVE_TOO_MANY_ENTRIES"
  | "ERR_ARCHIVE_TOO_LARGE"
  | "ERR_ARCHIVE_TOO_DEEP"
  | "ERR_ARCHIVE_PATH_TOO_LONG"
  | "ERR_ARCHIVE_NOT_EMPTY"
  | "ERR_ARCHIVE_MALFORMED"
  /** The content is not a tar (one encrypted file), or is compressed with something other than gzip. */
  | "ERR_ARCHIVE_NOT_TAR"
  /** The tree changed under the operation: a source file changed while archived, or a folder was swapped while extracting. */
  | "ERR_ARCHIVE_CHANGED";

/** Every {@link ArchiveErrorCode}, for tables of tests and for callers that map codes to exit statuses. */
export const ARCHIVE_ERROR_CODES: readonly ArchiveErrorCode[] = [
  "ERR_ARCHIVE_ABSOLUTE_PATH",
  "ERR_ARCHIVE_TRAVERSAL",
  "ERR_ARCHIVE_DRIVE_LETTER",
  "ERR_ARCHIVE_BACKSLASH",
  "ERR_ARCHIVE_CONTROL_CHAR",
  "ERR_ARCHIVE_DUPLICATE",
  "ERR_ARCHIVE_COLLISION",
  "ERR_ARCHIVE_LINK",
  "ERR_ARCHIVE_SPECIAL_FILE",
  "ERR_ARCHIVE_TOO_MANY_ENTRIES",
  "ERR_ARCHIVE_TOO_LARGE",
  "ERR_ARCHIVE_TOO_DEEP",
  "ERR_ARCHIVE_PATH_TOO_LONG",
  "ERR_ARCHIVE_NOT_EMPTY",
  "ERR_ARCHIVE_MALFORMED",
  "ERR_ARCHIVE_NOT_TAR",
  "ERR_ARCHIVE_CHANGED",
];

/** True for the codes of {@link ARCHIVE_ERROR_CODES}. */
export function isArchiveErrorCode(code: string): code is ArchiveErrorCode {
  return (ARCHIVE_ERROR_CODES as readonly string[]).includes(code);
}

/** Quotes an archive name for a message: escapes control characters, cuts very long names. */
function quoteName(name: string): string {
  const cut = name.length > 200 ? `${name.slice(0, 200)}…` : name;
  return JSON.stringify(cut);
}

/** Builds the AgeError for an archive refusal; `entry` is named in the message. */
export function archiveError(
  code: ArchiveErrorCode,
  entry: string | undefined,
  problem: string,
  todo: string,
  cause?: unknown,
): AgeError {
  const where = entry === undefined ? "archive" : `archive entry ${quoteName(entry)}`;
  return new AgeError(code, `${where}: ${problem}; ${todo}`, cause === undefined ? {} : { cause });
}

/** The advice for an archive that must not be extracted as it is. */
export const UNTRUSTED =
  "the archive is unsafe to extract; do not extract it, or ask its sender for a clean archive";
