import { decrypt } from "./commands/decrypt.js";
import { encrypt } from "./commands/encrypt.js";
import { inspect } from "./commands/inspect.js";
import { keygen } from "./commands/keygen.js";
import { volume } from "./commands/volume.js";
import { usage } from "./errors.js";
import { HELP } from "./help.js";
import { unwatchInterrupts, watchInterrupts } from "./interrupt.js";
import { formatError } from "./report.js";
import { BROKEN_PIPE_STATUS, stdoutClosed, watchStdout } from "./stdout.js";

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  keygen,
  encrypt,
  decrypt,
  inspect,
  volume,
};

/**
 * Runs the `dms` command with `argv` (the arguments after the program name) and returns its exit
 * status. Errors never escape: each is printed as one stderr line
 * `dms: error: <message> (<CODE>)` and yields status 1, except when the reader of stdout went away
 * (`| head`): then nothing is printed and the status is 141, as for a program killed by SIGPIPE.
 *
 * @example
 * process.exitCode = await main(["encrypt", "-r", recipient, "-o", "out.age", "in.txt"]);
 */
export async function main(argv: string[]): Promise<number> {
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined || cmd === "-h" || cmd === "--help" || cmd === "help") {
      if (cmd === "help" && rest[0] !== undefined && COMMANDS[rest[0]] !== undefined) {
        return await (COMMANDS[rest[0]] as (a: string[]) => Promise<number>)(["--help"]);
      }
      (cmd === undefined ? process.stderr : process.stdout).write(HELP.dms ?? "");
      return cmd === undefined ? 1 : 0;
    }
    const run = COMMANDS[cmd];
    if (run === undefined) throw usage(`unknown command '${cmd}'; run 'dms --help' for the list`);
    watchInterrupts();
    watchStdout();
    const status = await run(rest);
    return stdoutClosed() ? BROKEN_PIPE_STATUS : status;
  } catch (err) {
    // Whatever failed after the reader went away failed because of it; the reader wants no more.
    if (stdoutClosed() || (err as { code?: unknown } | null)?.code === "EPIPE") return BROKEN_PIPE_STATUS;
    process.stderr.write(formatError(err));
    return 1;
  } finally {
    unwatchInterrupts();
  }
}
