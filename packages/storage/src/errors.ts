/** Every code a {@link StorageError} can carry. Callers branch on these, never on the message. */
export type StorageErrorCode =
  | "ERR_STORAGE_NOT_FOUND" // a record, volume or path does not exist (also errno ENOENT)
  | "ERR_STORAGE_EXISTS" // the thing to create is already there (also errno EEXIST)
  | "ERR_STORAGE_PERMISSION" // errno EACCES / EPERM
  | "ERR_STORAGE_NO_SPACE" // errno ENOSPC / EDQUOT: the disk or quota is full; path kept
  | "ERR_STORAGE_IO" // any other filesystem error; errno, syscall and path are kept
  | "ERR_STORAGE_DATABASE" // the embedded database failed or holds data this version cannot read
  | "ERR_STORAGE_INVALID_DATA" // a record given to the repository is malformed
  | "ERR_STORAGE_INVALID_ID_TYPE" // an IDType other than Path or CID where one of them is required
  | "ERR_STORAGE_LOCKED" // the volume is locked (read-only) and the operation would change it
  | "ERR_STORAGE_NOT_LOCKED" // verify on a volume that was never locked
  | "ERR_STORAGE_TREE_CHANGED" // an entry was replaced (e.g. by a symlink) while the volume was being changed
  | "ERR_STORAGE_BUSY" // another process or controller is working on the same volume
  | "ERR_STORAGE_ENCRYPTED" // the operation needs plaintext but the volume is encrypted
  | "ERR_STORAGE_NOT_ENCRYPTED" // decrypt on a volume that holds plaintext
  | "ERR_STORAGE_RESERVED_NAME" // the volume holds a top-level entry whose name the controller reserves
  | "ERR_STORAGE_UNSUPPORTED_ENTRY" // a FIFO, socket or device inside a volume
  | "ERR_STORAGE_UNSUPPORTED_TYPE" // newVolume with an unknown storage type
  | "ERR_STORAGE_INVALID_MOUNT" // a mount request that cannot be carried out (empty target, ...)
  | "ERR_STORAGE_CIPHER" // the cipher failed (bad key, corrupt archive); the AgeError is the cause
  | "ERR_STORAGE_ABORTED" // the cipher's AbortSignal fired; the step was rolled back, nothing was lost
  | "ERR_STORAGE_CLOSED"; // the controller or repository was closed

/** Options for {@link StorageError}: the errno details of a filesystem failure, and its cause. */
export interface StorageErrorOptions {
  cause?: unknown;
  errno?: string;
  syscall?: string;
  path?: string;
}

/**
 * The one error class of `@dms/storage`. `code` is stable; `message` says what to do.
 * Filesystem failures keep `errno` (e.g. "ENOENT"), `syscall` and `path`, and the original error as `cause`.
 */
export class StorageError extends Error {
  override readonly name = "StorageError";
  readonly code: StorageErrorCode;
  readonly errno: string | undefined;
  readonly syscall: string | undefined;
  readonly path: string | undefined;

  constructor(code: StorageErrorCode, message: string, options: StorageErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.errno = options.errno;
    this.syscall = options.syscall;
    this.path = options.path;
  }
}

/** True when `e` is a {@link StorageError}, optionally with the given code. */
export function isStorageError(e: unknown, code?: StorageErrorCode): e is StorageError {
  return e instanceof StorageError && (code === undefined || e.code === code);
}

interface ErrnoLike {
  code?: unknown;
  errno?: unknown;
  syscall?: unknown;
  path?: unknown;
}

/**
 * Wraps a Node filesystem error, mapping its errno to a small set of codes and keeping the details.
 * `doing` names the step in words ("create volume folder"); a StorageError passes through unchanged.
 */
export function fsError(e: unknown, doing: string, path?: string): StorageError {
  if (e instanceof StorageError) return e;
  const err = (e ?? {}) as ErrnoLike;
  // Node puts the errno name in `code`; AgeError (ERR_AGE_IO) keeps it in `errno`.
  const errno =
    typeof err.code === "string" && /^E[A-Z0-9]+$/.test(err.code)
      ? err.code
      : typeof err.errno === "string"
        ? err.errno
        : undefined;
  const syscall = typeof err.syscall === "string" ? err.syscall : undefined;
  const where = typeof err.path === "string" ? err.path : path;
  const opts = { cause: e, errno, syscall, path: where };
  const at = where ? ` (${where})` : "";
  switch (errno) {
    case "ENOENT":
      return new StorageError("ERR_STORAGE_NOT_FOUND", `failed to ${doing}: not found${at}`, opts);
    case "EEXIST":
    case "ENOTEMPTY":
      return new StorageError("ERR_STORAGE_EXISTS", `failed to ${doing}: already exists${at}`, opts);
    case "ENOSPC":
    case "EDQUOT":
      return new StorageError(
        "ERR_STORAGE_NO_SPACE",
        `failed to ${doing}: no space left on the device${at}; free some space and retry`,
        opts,
      );
    case "EACCES":
    case "EPERM":
      return new StorageError(
        "ERR_STORAGE_PERMISSION",
        `failed to ${doing}: permission denied${at}; check the owner and mode of the storage root`,
        opts,
      );
    default:
      return new StorageError(
        "ERR_STORAGE_IO",
        `failed to ${doing}: ${errno ?? "I/O error"}${at}; check the disk and retry`,
        opts,
      );
  }
}
