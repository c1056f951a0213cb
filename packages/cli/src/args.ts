import { parseArgs } from "node:util";
import { usage } from "./errors.js";

/** Option table in the shape node:util parseArgs takes. */
export type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

/** Parsed flags and positionals of one command. */
export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/**
 * Parses `argv` against `options` (every command also takes -h/--help). Unknown flags and missing
 * values become ERR_DMS_USAGE errors naming the command's --help.
 */
export function parse(command: string, argv: string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed["values"], positionals };
  } catch (err) {
    const msg = (err as Error).message.replace(/\. To specify a positional.*$/s, "");
    throw usage(`${msg}; see 'dms ${command} --help'`);
  }
}

/** The last value of a string flag, or undefined. */
export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  if (Array.isArray(v)) return v.at(-1) as string | undefined;
  return typeof v === "string" ? v : undefined;
}

/** Every value of a repeatable string flag. */
export function list(p: Parsed, name: string): string[] {
  const v = p.values[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return typeof v === "string" ? [v] : [];
}

/** Whether a boolean flag was given. */
export function flag(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

/** At most `max` positionals, else a usage error. */
export function atMost(command: string, p: Parsed, max: number): void {
  if (p.positionals.length > max) {
    throw usage(
      `unexpected argument '${p.positionals[max]}'; 'dms ${command}' takes at most ${max} (see --help)`,
    );
  }
}
