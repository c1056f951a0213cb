import { DmsError, fsError } from "./errors.js";

// Turns any thrown value into the one stderr line `dms: error: <message> (<CODE>)`.

/**
 * What to do next, for the library codes whose messages cannot say it: the library does not know
 * that a command line was interrupted. Every other library message already ends with what to do
 * (test/units.test.ts checks that for each decryption failure), so the hint is chosen by code
 * alone, never by reading the message.
 */
const HINTS: Record<string, string> = {
  ERR_AGE_ABORTED: "interrupted before the end; no -o file was written; run the command again",
};

// Only the toolkit's stable codes are shown; anything else is a bug or an unexpected runtime failure.
const OWN_CODES = /^ERR_(AGE|ARCHIVE|STORAGE|DMS)_[A-Z0-9_]+$/;

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, "; ").trim();
}

/** Formats `err` as the single error line (with trailing newline) the command prints. */
export function formatError(err: unknown): string {
  let e = err as { code?: unknown; message?: unknown; path?: unknown } | null | undefined;
  // A bare errno error (from a stream, say) is mapped like the command's own filesystem errors.
  if (typeof e?.code === "string" && /^E[A-Z]+$/.test(e.code) && typeof e.path === "string") {
    e = fsError(e, e.path, "access");
  }
  // So is an FsError from @dms/fs (an -o file's stream failing mid-write, a full disk): by its errno.
  if ((e as { name?: unknown } | null | undefined)?.name === "FsError" && typeof e?.path === "string") {
    e = fsError(e, e.path, "write");
  }
  // A vanished reader, raw from a stream or as a library I/O error keeping its errno.
  if (e?.code === "EPIPE" || (e as { errno?: unknown } | null | undefined)?.errno === "EPIPE") {
    e = new DmsError(
      "ERR_DMS_IO",
      "the output was closed before all data was written (broken pipe); the reader stopped early",
    );
  }
  if ((e as { name?: unknown } | null | undefined)?.name === "AbortError") {
    e = new DmsError(
      "ERR_DMS_INTERRUPTED",
      "interrupted before the end; no -o file was written; run the command again",
    );
  }
  const code = typeof e?.code === "string" && OWN_CODES.test(e.code) ? e.code : "ERR_DMS_INTERNAL";
  let message = typeof e?.message === "string" && e.message !== "" ? e.message : String(err);
  // A library error that wraps another (storage wraps crypto's) names the inner code too, from the
  // cause's own field: the message is never parsed.
  const causeCode = (e as { cause?: { code?: unknown } } | null | undefined)?.cause?.code;
  if (
    typeof causeCode === "string" &&
    causeCode !== code &&
    /^ERR_/.test(causeCode) &&
    !message.includes(causeCode)
  ) {
    message = `${message} [${causeCode}]`;
  }
  // A key error from parsing a file the user gave (-i, -R) names that file, from the error's path field.
  const path = (e as { path?: unknown } | null | undefined)?.path;
  if (code.startsWith("ERR_AGE_KEY") && typeof path === "string") message = `${path}: ${message}`;
  const hint = HINTS[code];
  if (hint !== undefined) message = `${message.replace(/[.;:\s]+$/, "")}; ${hint}`;
  return `dms: error: ${oneLine(message)} (${code})\n`;
}
