import type { FsError } from "@dms/fs";
import type { ArchiveErrorCode } from "./archive/errors.js";

/** Refusal codes of directory mode (extraction hardening), one per refusal; see src/archive/errors.ts. */
export type { ArchiveErrorCode };

/** Stable codes carried by every {@link AgeError}. Callers branch on these, never on messages. */
export type AgeErrorCode =
  | "ERR_AGE_HEADER"
  | "ERR_AGE_NO_MATCH"
  | "ERR_AGE_HMAC"
  | "ERR_AGE_PAYLOAD"
  | "ERR_AGE_ARMOR" // armored input that is damaged or not strict PEM
  | "ERR_AGE_NOT_AGE" // neither a binary age file nor age armor
  | "ERR_AGE_ARMORED" // ASCII-armored input where only binary works (random access); dearmor first
  | "ERR_AGE_KEY"
  | "ERR_AGE_KEY_UNSUPPORTED" // a key of a kind age knows but this library does not (SSH, encrypted identity file)
  | "ERR_AGE_ABORTED"
  | "ERR_AGE_IO"
  | "ERR_AGE_NO_SPACE"
  | "ERR_AGE_USAGE"
  | ArchiveErrorCode;

/** Extra fields an {@link AgeError} may carry (filesystem errors keep errno meaning). */
export interface AgeErrorDetails {
  cause?: unknown | undefined;
  errno?: string | undefined;
  syscall?: string | undefined;
  path?: string | undefined;
}

/**
 * The one error class of `@dms/crypto`. Messages are terse and never contain key material
 * or plaintext.
 *
 * @example
 * ```ts
 * try { await decrypt(data, { identities }); }
 * catch (e) { if (e instanceof AgeError && e.code === "ERR_AGE_NO_MATCH") askForAnotherKey(); }
 * ```
 */
export class AgeError extends Error {
  override readonly name = "AgeError";
  readonly code: AgeErrorCode;
  /** errno code (ENOENT, EACCES, ...) for ERR_AGE_IO. */
  declare readonly errno?: string;
  declare readonly syscall?: string;
  declare readonly path?: string;

  constructor(code: AgeErrorCode, message: string, details: AgeErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.errno !== undefined) this.errno = details.errno;
    if (details.syscall !== undefined) this.syscall = details.syscall;
    if (details.path !== undefined) this.path = details.path;
  }
}

/** True when `e` is an {@link AgeError}, optionally with the given code (as `isStorageError`). */
export function isAgeError(e: unknown, code?: AgeErrorCode): e is AgeError {
  return e instanceof AgeError && (code === undefined || e.code === code);
}

/** Message suffixes shared by the decrypt path, so every failure says what to do. */
const HEADER_HINT = "the file is not a valid age v1 file or is damaged";

/** Throws ERR_AGE_HEADER with a message that says what to do. */
export function headerError(what: string): never {
  throw new AgeError("ERR_AGE_HEADER", `age header: ${what}; ${HEADER_HINT}`);
}

/** Throws ERR_AGE_PAYLOAD: the payload failed authentication or framing. */
export function payloadError(what: string): never {
  throw new AgeError(
    "ERR_AGE_PAYLOAD",
    `age payload: ${what}; the file was truncated or modified, discard any output`,
  );
}

/**
 * Maps a filesystem error to ERR_AGE_IO (ERR_AGE_NO_SPACE for a full disk or quota), keeping errno,
 * syscall, path and cause. An FsError from @dms/fs names the user's path (never a temp file's); a raw
 * errno error keeps its own path, or `fallbackPath` when it has none.
 */
export function ioError(err: unknown, fallbackPath?: string): AgeError {
  if (err instanceof AgeError) return err;
  // Recognised by name, not instanceof: this module is part of the portable entry, which must not load
  // @dms/fs (it imports node: modules).
  const fs = err instanceof Error && err.name === "FsError" ? (err as FsError) : undefined;
  const e = err as NodeJS.ErrnoException;
  const errno = fs ? fs.errno : typeof e?.code === "string" ? e.code : undefined;
  const path = fs ? fs.path : typeof e?.path === "string" ? e.path : fallbackPath;
  const noSpace = errno === "ENOSPC" || errno === "EDQUOT";
  const what =
    errno === "ENOENT"
      ? "not found"
      : errno === "EACCES" || errno === "EPERM"
        ? "permission denied"
        : errno === "EEXIST"
          ? "already exists"
          : errno === "EISDIR"
            ? "is a directory"
            : noSpace
              ? "no space left on device"
              : "I/O error";
  const details: AgeErrorDetails = { cause: err };
  if (errno !== undefined) details.errno = errno;
  if (typeof e?.syscall === "string") details.syscall = e.syscall;
  if (path !== undefined) details.path = path;
  const todo = noSpace ? "free some space and retry" : "check the path and permissions";
  return new AgeError(
    noSpace ? "ERR_AGE_NO_SPACE" : "ERR_AGE_IO",
    `${what}${path ? `: ${path}` : ""}${errno ? ` (${errno})` : ""}; ${todo}`,
    details,
  );
}

/** The error of an operation that `signal` aborted (its reason as the cause). */
export function abortError(signal: AbortSignal | undefined): AgeError {
  return new AgeError("ERR_AGE_ABORTED", "operation aborted by the caller", { cause: signal?.reason });
}

/** Throws ERR_AGE_ABORTED if the signal has fired. */
export function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}
