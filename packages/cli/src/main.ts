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
import { commandFinished, reportStdoutFailure, stdoutFailed, writeStdout } from "./stdout.js";

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
      writeStdout(`${version()}\n`);
      return 0;
    }
    const [cmd, ...rest] = ageStyle(argv);
    if (cmd === undefined || cmd === "-h" || cmd === "--help" || cmd === "help") {
      if (cmd === "help" && rest[0] !== undefined && COMMANDS[rest[0]] !== undefined) {
        return await (COMMANDS[rest[0]] as (a: string[]) => Promise<number>)(["--help"]);
      }
      if (cmd === undefined) process.stderr.write(HELP.dms ?? "");
      else writeStdout(HELP.dms ?? "");
      return cmd === undefined ? 1 : 0;
    }
    const run = COMMANDS[cmd];
    if (run === undefined) throw usage(`unknown command '${cmd}'; run 'dms --help' for the list`);
    watchInterrupts();
    const status = await run(rest);
    return stdoutFailed() ? reportStdoutFailure() : status;
  } catch (err) {
    // Whatever failed after stdout did (the reader went away) failed because of it: report the cause.
    const e = err as { code?: unknown; errno?: unknown } | null;
    if (stdoutFailed() || e?.code === "EPIPE" || e?.errno === "EPIPE") return reportStdoutFailure();
    process.stderr.write(formatError(err));
    return 1;
  } finally {
    commandFinished();
    unwatchInterrupts();
  }
}

/**
 * The package's version, as `age --version` prints its own, from the package.json above this
 * module: one folder up from dist/ (tsc's output), two from dist/bundle/ (what bin/dms.js runs).
 */
function version(): string {
  for (const up of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), "utf8")) as {
        name?: string;
        version: string;
      };
      if (pkg.name === "@dms/cli") return `v${pkg.version}`;
    } catch {
      // Not this one.
    }
  }
  return "v(unknown)";
}

const AGE_MODES: Record<string, string> = {
  "-e": "encrypt",
  "--encrypt": "encrypt",
  "-d": "decrypt",
  "--decrypt": "decrypt",
};

/** Flags of encrypt / decrypt that take a value: the next argument is that value, never a mode flag. */
const TAKES_VALUE = new Set([
  "-r",
  "--recipient",
  "-R",
  "--recipients-file",
  "-i",
  "--identity",
  "-o",
  "--output",
  "--passphrase-file",
  "-x",
  "--extract",
  "--range",
]);

/**
 * age's own command line, `dms -e ...` / `dms -d ...` (the mode flag anywhere, as age parses it), as
 * `dms encrypt ...` / `dms decrypt ...`; with no mode flag, `dms -r R ...` encrypts, as `age -r R` does.
 * Only an argument list that starts with a flag is read this way, so `dms decrypt -o -d` still means an
 * output file named `-d`; so does `dms -e -o -d FILE`, since a flag's value is never a mode.
 */
function ageStyle(argv: string[]): string[] {
  if (!argv[0]?.startsWith("-") || argv[0] === "-h" || argv[0] === "--help") return argv;
  const modes: string[] = [];
  const rest: string[] = [];
  let identity = false;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k] as string;
    if (a === "--") {
      rest.push(...argv.slice(k));
      break;
    }
    if (AGE_MODES[a] !== undefined) {
      modes.push(AGE_MODES[a] as string);
      continue;
    }
    if (a === "-i" || a === "--identity" || a.startsWith("--identity=")) identity = true;
    rest.push(a);
    if (TAKES_VALUE.has(a) && k + 1 < argv.length) rest.push(argv[++k] as string);
  }
  // No mode flag: encryption, age's default; but, as age says, -i alone more likely meant -d.
  if (modes.length === 0) {
    if (identity) {
      throw usage("-i without -e or -d: add -d to decrypt, or -e to encrypt to the identity's recipient");
    }
    return ["encrypt", ...rest];
  }
  if (modes.some((m) => m !== modes[0])) throw usage("-e and -d cannot be used together");
  return [modes[0] as string, ...rest];
}
