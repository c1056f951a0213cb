// errno values mapped to the few kinds a caller acts on differently. Each package wraps an FsError
// in its own error class (one line: `new AgeError(code, err.message, { cause: err, ...err.details })`).

/** What went wrong, as far as a caller can act on it. */
export type FsKind = "not-found" | "permission" | "exists" | "no-space" | "busy" | "other";

const KINDS: Record<string, FsKind> = {
  ENOENT: "not-found",
  ENOTDIR: "not-found",
  EACCES: "permission",
  EPERM: "permission",
  EROFS: "permission",
  EEXIST: "exists",
  ENOTEMPTY: "exists",
  ENOSPC: "no-space",
  EDQUOT: "no-space",
  EFBIG: "no-space",
  EBUSY: "busy",
  ETXTBSY: "busy",
  EAGAIN: "busy",
};

const SAYS: Record<FsKind, string> = {
  "not-found": "not found",
  permission: "permission denied",
  exists: "already exists",
  "no-space": "no space left on the device",
  busy: "busy",
  other: "I/O error",
};

/** The kind of a Node filesystem error's errno code (`other` for anything unlisted or missing). */
export function kindOf(errno: string | undefined): FsKind {
  return (errno !== undefined && KINDS[errno]) || "other";
}

/**
 * A filesystem failure on a path the user named. `path` is always the user's path, never a temp
 * file's; `errno`, `syscall` and the original error (`cause`) are kept.
 */
export class FsError extends Error {
  override readonly name = "FsError";
  readonly kind: FsKind;
  readonly errno: string | undefined;
  readonly syscall: string | undefined;
  readonly path: string;

  constructor(
    kind: FsKind,
    path: string,
    message: string,
    fields: { errno?: string; syscall?: string; cause?: unknown },
  ) {
    super(message, { cause: fields.cause });
    this.kind = kind;
    this.errno = fields.errno;
    this.syscall = fields.syscall;
    this.path = path;
  }
}

/**
 * Classifies `err` (a Node errno error) as an {@link FsError} on `path`, the user's path. `doing` says
 * what was attempted ("write", "read folder"). An FsError is returned as it is.
 */
export function fsError(err: unknown, path: string, doing: string): FsError {
  if (err instanceof FsError) return err;
  const e = err as NodeJS.ErrnoException | undefined;
  const errno = typeof e?.code === "string" ? e.code : undefined;
  const kind = kindOf(errno);
  const what = errno === "EISDIR" ? "it is a directory" : SAYS[kind];
  const fields: { errno?: string; syscall?: string; cause?: unknown } = { cause: err };
  if (errno !== undefined) fields.errno = errno;
  if (typeof e?.syscall === "string") fields.syscall = e.syscall;
  return new FsError(kind, path, `cannot ${doing} ${path}: ${what}${errno ? ` (${errno})` : ""}`, fields);
}
