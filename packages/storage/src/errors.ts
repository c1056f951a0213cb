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
  cause?: unknown | undefined;
  errno?: string | undefined;
  syscall?: string | undefined;
  path?: string | undefined;
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
  code?: unknown | undefined;
  errno?: unknown | undefined;
  syscall?: unknown | undefined;
  path?: unknown | undefined;
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

/** Which journaled step a cipher failure happened in; decides what an archive refusal means. */
export type CipherStep = "encrypt" | "decrypt";

/**
 * The one place where a failure of the volume cipher (for the default cipher: @dms/crypto's AgeError,
 * kept as `cause`) becomes a StorageError:
 * - ERR_AGE_ABORTED: ERR_STORAGE_ABORTED (the step was rolled back);
 * - a filesystem failure (errno kept, ERR_AGE_IO / ERR_AGE_NO_SPACE or a raw Node error): the
 *   filesystem codes of {@link fsError}, so a full disk is ERR_STORAGE_NO_SPACE;
 * - ERR_ARCHIVE_CHANGED (a file changed while it was archived): ERR_STORAGE_TREE_CHANGED;
 * - another ERR_ARCHIVE_* while encrypting (an entry extraction would refuse): ERR_STORAGE_UNSUPPORTED_ENTRY;
 * - anything else (wrong key, damaged archive): ERR_STORAGE_CIPHER.
 */
export function cipherError(e: unknown, step: CipherStep): StorageError {
  if (e instanceof StorageError) return e;
  const doing = `${step} volume`;
  const err = (e ?? {}) as ErrnoLike;
  const code = typeof err.code === "string" ? err.code : undefined;
  // Recognised by its code, not instanceof: @dms/crypto loads only on the first encrypt or decrypt.
  const age = code !== undefined && /^ERR_(AGE|ARCHIVE)_/.test(code);
  if (age && code === "ERR_AGE_ABORTED") {
    return new StorageError(
      "ERR_STORAGE_ABORTED",
      `interrupted while trying to ${doing}; the volume was left as it was, run the command again`,
      { cause: e },
    );
  }
  if ((age && typeof err.errno === "string") || (code !== undefined && /^E[A-Z0-9]+$/.test(code))) {
    return fsError(e, doing);
  }
  if (age && code === "ERR_ARCHIVE_CHANGED") {
    return new StorageError(
      "ERR_STORAGE_TREE_CHANGED",
      `failed to ${doing}: ${(e as Error).message}; nothing was removed, retry when writes to the volume stop`,
      { cause: e },
    );
  }
  if (age && step === "encrypt" && code?.startsWith("ERR_ARCHIVE_")) {
    return new StorageError(
      "ERR_STORAGE_UNSUPPORTED_ENTRY",
      `cannot encrypt the volume: ${(e as Error).message}`,
      { cause: e },
    );
  }
  const hint =
    code === "ERR_AGE_NO_MATCH" || code === "ERR_AGE_KEY"
      ? "check the identities or recipients"
      : "the archive or key may be damaged";
  const why = age ? code : e instanceof Error ? e.message : String(e);
  return new StorageError("ERR_STORAGE_CIPHER", `failed to ${doing}: ${why}; ${hint}`, { cause: e });
}
