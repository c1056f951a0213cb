// A reader that stops early (`dms decrypt ... | head`) closes the pipe under dms. Node ignores SIGPIPE
// and reports EPIPE as an 'error' event on process.stdout, which would crash the process with a stack
// trace if nothing listened (it did, for `decrypt --range`). dms listens for the life of the process
// and reports a failed stdout like any other failure: status 1 and one line, printed once.
import { kindOf } from "@dms/fs";
import { DmsError } from "./errors.js";
import { formatError } from "./report.js";

let failure: NodeJS.ErrnoException | undefined;
let reported = false;
let finished = false;
let installed = false;

function onError(err: NodeJS.ErrnoException): void {
  failure ??= err;
  // A write still in flight when the command returned: nobody else will report it.
  if (finished) process.exitCode = reportStdoutFailure();
}

/** Listens for stdout errors for the rest of the process (a late write can fail after main returns). */
export function watchStdout(): void {
  if (installed) return;
  installed = true;
  process.stdout.on("error", onError);
}

/**
 * Writes to process.stdout, listening for its errors first. Commands write through this (or through
 * io.ts's openOutput) so that stdout is touched only when used: touching it turns a stdout pipe
 * non-blocking, which the synchronous engine of encrypt and decrypt avoids.
 */
export function writeStdout(text: string | Uint8Array): boolean {
  watchStdout();
  return process.stdout.write(text);
}

/** Called when the command has returned: later stdout errors are reported by the listener itself. */
export function commandFinished(): void {
  finished = true;
}

/** True once a write to stdout failed (for EPIPE: the reader went away). */
export function stdoutFailed(): boolean {
  return failure !== undefined;
}

/** Prints the stdout failure once, as ERR_DMS_IO (ERR_DMS_NO_SPACE for a full disk); returns the exit status for it. */
export function reportStdoutFailure(): number {
  if (!reported) {
    reported = true;
    // formatError words a broken pipe; any other errno gets its own text.
    const err =
      failure === undefined || failure.code === "EPIPE"
        ? { code: "EPIPE" }
        : kindOf(failure.code) === "no-space"
          ? new DmsError(
              "ERR_DMS_NO_SPACE",
              "cannot write to standard output: no space left on the device; free some space and run the command again",
            )
          : new DmsError("ERR_DMS_IO", `cannot write to standard output: ${failure.message}`);
    process.stderr.write(formatError(err));
  }
  return 1;
}
