import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expect, it } from "vitest";
import { haveTool } from "../../../../scripts/tools.mjs";

/** Tests that drive the reference age CLI, or a terminal through python's pty module, skip visibly
 * where the program is missing (and fail under DMS_REQUIRE_TOOLS=1, as in CI). */
export const haveAge = haveTool("age", "interop with the reference age CLI");
const havePython = haveTool("python3", "the CLI on a terminal (python's pty module)");
type Body = () => unknown;
export function withAge(name: string, fn: Body, timeout?: number): void {
  it.skipIf(!haveAge)(name, fn, timeout);
}
export function withTerminal(name: string, fn: Body, timeout?: number): void {
  it.skipIf(!havePython)(name, fn, timeout);
}

export const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const bin = join(pkgDir, "bin", "dms.js");

export interface Run {
  status: number | null;
  stdout: Buffer;
  stderr: string;
  out: string;
}

// setsid detaches the child from any controlling terminal the test runner has, so that a prompt can
// never wait for a developer's keyboard: without a terminal the CLI must fail instead.
const SETSID = "/usr/bin/setsid";

/** Runs the built CLI as a child process, with no terminal attached. */
export function dms(
  args: string[],
  opts: { input?: string | Uint8Array; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Run {
  const r = spawnSync(SETSID, ["-w", process.execPath, bin, ...args], {
    input: opts.input ?? "",
    cwd: opts.cwd ?? pkgDir,
    env: { ...process.env, ...opts.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr.toString("utf8"),
    out: r.stdout.toString("utf8"),
  };
}

/** Runs any program (age, tar) the same way. */
export function sh(
  cmd: string,
  args: string[],
  opts: { input?: string | Uint8Array; cwd?: string } = {},
): Run {
  const r = spawnSync(cmd, args, { input: opts.input ?? "", cwd: opts.cwd, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr.toString("utf8"),
    out: r.stdout.toString("utf8"),
  };
}

/** Runs `cmd` on a pseudo-terminal through python's pty module, answering passphrase prompts. */
export function onTerminal(
  cmd: string[],
  answers: string[] = [],
  cwd = pkgDir,
): { status: number; output: string } {
  const r = spawnSync(
    "python3",
    [join(pkgDir, "test", "e2e", "pty_run.py"), JSON.stringify({ cmd, answers, cwd })],
    {
      encoding: "utf8",
    },
  );
  if (r.status !== 0) throw new Error(`pty_run.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { status: number; output: string };
}

/** The one error line format, with its code. */
export const ERROR_LINE = /^dms: error: [^\n]+ \((ERR_[A-Z0-9_]+)\)\n$/;

/** Asserts-friendly: the code in a one-line error, or undefined when stderr is not exactly one line. */
export function errorCode(stderr: string): string | undefined {
  return ERROR_LINE.exec(stderr)?.[1];
}

/** A fresh temp dir and its cleanup. */
export function tempDir(prefix = "dms-cli-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `dms keygen -o dir/name`; returns the identity file and the recipient printed on stderr. */
export function keygen(dir: string, name: string): { path: string; recipient: string } {
  const path = join(dir, name);
  const r = dms(["keygen", "-o", path]);
  expect(r.status, r.stderr).toBe(0);
  const recipient = /^Public key: (age1[0-9a-z]+)\n$/.exec(r.stderr)?.[1];
  expect(recipient).toBeDefined();
  return { path, recipient: recipient as string };
}

/**
 * A module-resolution hook (registered with --import through NODE_OPTIONS) that logs every module
 * whose URL matches `pattern` into a file in `dir`: run dms with `env`, then read `loaded()`.
 */
export function resolveLog(dir: string, pattern: RegExp): { env: NodeJS.ProcessEnv; loaded: () => string } {
  const log = join(dir, "loaded.log");
  const hooks = join(dir, "hooks.mjs");
  const register = join(dir, "register.mjs");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (${pattern.toString()}.test(r.url)) appendFileSync(${JSON.stringify(log)}, r.url + "\\n");
  return r;
}
`,
  );
  writeFileSync(
    register,
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  writeFileSync(log, "");
  return { env: { NODE_OPTIONS: `--import ${register}` }, loaded: () => readFileSync(log, "utf8") };
}
