// Ctrl-C and kill must not leave temp files or half-extracted folders behind: the signal aborts the
// running operation, which cleans up, and the command then reports the interruption like any error.

let controller: AbortController | undefined;

function onSignal(): void {
  if (controller === undefined || controller.signal.aborted) {
    // A second Ctrl-C while cleanup runs: give up immediately, as the user asked twice.
    process.exit(130);
  }
  controller.abort();
}

/** Starts listening for SIGINT / SIGTERM for the duration of one command. */
export function watchInterrupts(): void {
  controller = new AbortController();
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

/** Stops listening (main calls this when the command ends). */
export function unwatchInterrupts(): void {
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  controller = undefined;
}

/** The signal of the running command: aborted on SIGINT / SIGTERM. */
export function interruptSignal(): AbortSignal {
  controller ??= new AbortController();
  return controller.signal;
}
