// A reader that stops early (`dms decrypt ... | head`) closes the pipe under dms. Unix tools, age
// among them, are then killed by SIGPIPE: no message, status 141. Node ignores SIGPIPE and reports
// EPIPE instead, as an 'error' event on process.stdout that would crash the process with a stack
// trace if nothing listened. dms behaves like the other tools: it stops quietly with status 141.

/** 128 + SIGPIPE, what a shell reports for a program killed by a closed pipe. */
export const BROKEN_PIPE_STATUS = 141;

let broken = false;
let installed = false;

function onError(err: NodeJS.ErrnoException): void {
  if (err?.code === "EPIPE") {
    broken = true;
    // The command may already have returned (a write still in flight when it finished).
    process.exitCode = BROKEN_PIPE_STATUS;
    return;
  }
  process.stderr.write(`dms: error: cannot write to standard output: ${err?.message ?? err} (ERR_DMS_IO)\n`);
  process.exitCode = 1;
}

/** Listens for stdout errors for the rest of the process (a late write can fail after main returns). */
export function watchStdout(): void {
  if (installed) return;
  installed = true;
  process.stdout.on("error", onError);
}

/** True once a write to stdout failed because the reader went away. */
export function stdoutClosed(): boolean {
  return broken;
}
