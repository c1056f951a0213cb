import { kindOf } from "@dms/fs";

/** Codes of errors raised by the command line itself (library errors keep their own codes). */
export type DmsErrorCode =
  | "ERR_DMS_USAGE"
  | "ERR_DMS_TERMINAL"
  | "ERR_DMS_NO_TERMINAL"
  | "ERR_DMS_PASSPHRASE"
  | "ERR_DMS_EXISTS"
  | "ERR_DMS_NOT_FOUND"
  | "ERR_DMS_PERMISSION"
  | "ERR_DMS_IO"
  | "ERR_DMS_NO_SPACE"
  | "ERR_DMS_CHANGED"
  | "ERR_DMS_INTERRUPTED"
  | "ERR_DMS_INTERNAL";

/**
 * The one error class of `@dms/cli`: every failure the `dms` command reports that did not come from a
 * library carries one of these codes.
 */
export class DmsError extends Error {
  readonly code: DmsErrorCode;
  override readonly name = "DmsError";

  constructor(code: DmsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Shorthand for a usage error: wrong flags, missing arguments. */
export function usage(message: string): DmsError {
  return new DmsError("ERR_DMS_USAGE", message);
}

/**
 * Maps a filesystem error on `path` (an FsError from @dms/fs, or a raw Node error) to a DmsError whose
 * message says what to do. The errno is sorted by @dms/fs's `kindOf`, the one classification.
 */
export function fsError(err: unknown, path: string, doing: string): DmsError {
  // An FsError from @dms/fs keeps the errno as `errno`; a raw Node error has it as `code`.
  const e = err as { name?: string; errno?: unknown; code?: unknown } | undefined;
  const raw = e?.name === "FsError" ? e.errno : e?.code;
  const errno = typeof raw === "string" ? raw : undefined;
  const o = { cause: err };
  // An FsError's message already names the user's path and what was done: keep it, with what to do.
  if (e?.name === "FsError") {
    const m = (err as Error).message;
    switch (kindOf(errno)) {
      case "not-found":
        return new DmsError("ERR_DMS_NOT_FOUND", m, o);
      case "permission":
        return new DmsError("ERR_DMS_PERMISSION", m, o);
      case "exists":
        return new DmsError("ERR_DMS_EXISTS", `${m}; choose another path`, o);
      case "no-space":
        return new DmsError("ERR_DMS_NO_SPACE", `${m}; free some space and run the command again`, o);
      default:
        return new DmsError("ERR_DMS_IO", m, o);
    }
  }
  if (errno === "EISDIR") return new DmsError("ERR_DMS_IO", `cannot ${doing} ${path}: it is a directory`, o);
  switch (kindOf(errno)) {
    case "not-found":
      return new DmsError("ERR_DMS_NOT_FOUND", `cannot ${doing} ${path}: no such file or directory`, o);
    case "permission":
      return new DmsError("ERR_DMS_PERMISSION", `cannot ${doing} ${path}: permission denied`, o);
    case "exists":
      return new DmsError(
        "ERR_DMS_EXISTS",
        `cannot ${doing} ${path}: it already exists; choose another path`,
        o,
      );
    case "no-space":
      return new DmsError(
        "ERR_DMS_NO_SPACE",
        `cannot ${doing} ${path}: no space left on the device; free some space and run the command again`,
        o,
      );
    default:
      return new DmsError(
        "ERR_DMS_IO",
        `cannot ${doing} ${path}: ${(err as Error | undefined)?.message ?? String(err)}`,
        o,
      );
  }
}
