import { readFileSync } from "node:fs";
import { decrypt } from "./commands/decrypt.js";
import { encrypt } from "./commands/encrypt.js";
import { inspect } from "./commands/inspect.js";
import { keygen } from "./commands/keygen.js";
import { volume } from "./commands/volume.js";
import { usage } from "./errors.js";
import { HELP } from "./help.js";
import { unwatchInterrupts, watchInterrupts } from "./interrupt.js";
import { formatError } from "./report.js";
import { commandFinished, reportStdoutFailure, stdoutFailed, watchStdout } from "./stdout.js";

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
 * `dms: error: <message> (<CODE>)` and yields status 1 (a reader of stdout that went away, as in
 * `| head`, is reported once as ERR_DMS_IO).
 *
 * @example
 * process.exitCode = await main(["encrypt", "-r", recipient, "-o", "out.age", "in.txt"]);
 */
export async function main(argv: string[]): Promise<number> {
  try {
    if (argv.length === 1 && argv[0] === "--version") {
      process.stdout.write(`${version()}\n`);
      return 0;
    }
    const [cmd, ...rest] = ageStyle(argv);
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
    return stdoutFailed() ? reportStdoutFailure() : status;
  } catch (err) {
    // Whatever failed after stdout did (the reader went away) failed because of it: report the cause.
    if (stdoutFailed() || (err as { code?: unknown } | null)?.code === "EPIPE") return reportStdoutFailure();
    process.stderr.write(formatError(err));
    return 1;
  } finally {
    commandFinished();
    unwatchInterrupts();
  }
}

/** The package's version, as `age --version` prints its own. */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return `v${pkg.version}`;
}

const AGE_MODES: Record<string, string> = {
  "-e": "encrypt",
  "--encrypt": "encrypt",
  "-d": "decrypt",
  "--decrypt": "decrypt",
};

/**
 * age's own command line, `dms -e ...` / `dms -d ...` (the mode flag anywhere, as age parses it), as
 * `dms encrypt ...` / `dms decrypt ...`; with no mode flag, `dms -r R ...` encrypts, as `age -r R` does. Only an argument list that starts with a flag is read this way,
 * so `dms decrypt -o -d` still means an output file named `-d`.
 */
function ageStyle(argv: string[]): string[] {
  if (!argv[0]?.startsWith("-") || argv[0] === "-h" || argv[0] === "--help") return argv;
  const modes = argv.filter((a) => AGE_MODES[a] !== undefined);
  // No mode flag: encryption, age's default; but, as age says, -i alone more likely meant -d.
  if (modes.length === 0) {
    if (argv.some((a) => a === "-i" || a === "--identity" || a.startsWith("--identity="))) {
      throw usage("-i without -e or -d: add -d to decrypt, or -e to encrypt to the identity's recipient");
    }
    return ["encrypt", ...argv];
  }
  const mode = AGE_MODES[modes[0] as string] as string;
  if (modes.some((m) => AGE_MODES[m] !== mode)) throw usage("-e and -d cannot be used together");
  return [mode, ...argv.filter((a) => AGE_MODES[a] === undefined)];
}
