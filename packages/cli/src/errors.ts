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

/** Maps a Node filesystem error on `path` to a DmsError whose message says what to do. */
export function fsError(err: unknown, path: string, doing: string): DmsError {
  // An FsError from @dms/fs keeps the errno as `errno`; a raw Node error has it as `code`.
  const e = err as { name?: string; errno?: unknown; code?: unknown } | undefined;
  const code = e?.name === "FsError" ? e.errno : e?.code;
  switch (code) {
    case "ENOENT":
      return new DmsError("ERR_DMS_NOT_FOUND", `cannot ${doing} ${path}: no such file or directory`, {
        cause: err,
      });
    case "EACCES":
    case "EPERM":
      return new DmsError("ERR_DMS_PERMISSION", `cannot ${doing} ${path}: permission denied`, { cause: err });
    case "EEXIST":
      return new DmsError(
        "ERR_DMS_EXISTS",
        `cannot ${doing} ${path}: it already exists; choose another path`,
        {
          cause: err,
        },
      );
    case "EISDIR":
      return new DmsError("ERR_DMS_IO", `cannot ${doing} ${path}: it is a directory`, { cause: err });
    default:
      return new DmsError(
        "ERR_DMS_IO",
        `cannot ${doing} ${path}: ${(err as Error | undefined)?.message ?? String(err)}`,
        { cause: err },
      );
  }
}
