import type { Stats } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { Readable, type Writable } from "node:stream";
import { openOutput as openFile } from "@dms/fs";
import { DmsError, fsError, usage } from "./errors.js";
import type { FdOutput } from "./lib.js";
import { watchStdout } from "./stdout.js";
import { isTerminal } from "./terminal.js";

/** True when `path` names standard input / output (missing or `-`). */
export function isStd(path: string | undefined): path is undefined | "-" {
  return path === undefined || path === "-";
}

/** Stats a path the user gave, mapping errno to DmsError codes. */
export async function statPath(path: string, doing = "read"): Promise<Stats> {
  try {
    return await stat(path);
  } catch (err) {
    throw fsError(err, path, doing);
  }
}

/**
 * Refuses standard input named for more than one purpose, as age does ("standard input is used for
 * multiple purposes"): `-i -` while the encrypted input is standard input too, `-R -` with `-i -`, and so
 * on. `uses` pairs each flag with the paths given to it (INPUT as `undefined` when it is stdin by default).
 *
 * @throws DmsError ERR_DMS_USAGE naming the flags that share standard input.
 */
export function refuseSharedStdin(uses: [flag: string, paths: (string | undefined)[]][]): void {
  const readers = uses.flatMap(([flag, paths]) =>
    paths.filter((p) => p === "-" || p === undefined).map(() => flag),
  );
  if (readers.length > 1) {
    throw new DmsError(
      "ERR_DMS_USAGE",
      `standard input is used for more than one purpose (${readers.join(", ")}); give all but one as files`,
    );
  }
}

/** Reads a whole file the user named (key files, passphrase files). */
export async function readText(path: string, what: string): Promise<string> {
  if (path === "-") return (await readAll(process.stdin)).toString("utf8");
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    throw fsError(err, path, `read ${what}`);
  }
}

/** Reads a whole stream into memory. */
export async function readAll(input: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of input) parts.push(typeof c === "string" ? Buffer.from(c) : Buffer.from(c));
  return Buffer.concat(parts);
}

/**
 * Reads a passphrase for automation: the first line of the file, without its line ending.
 *
 * @throws DmsError ERR_DMS_PASSPHRASE when the first line is empty, or a filesystem code.
 */
export async function readPassphraseFile(path: string): Promise<string> {
  const text = await readText(path, "the passphrase file");
  const line = text.split("\n", 1)[0]?.replace(/\r$/, "") ?? "";
  if (line === "") {
    throw new DmsError("ERR_DMS_PASSPHRASE", `the first line of ${path} is empty; put the passphrase there`);
  }
  return line;
}

/**
 * The size of an input file, after checking it exists and is not a directory.
 *
 * @throws DmsError ERR_DMS_USAGE for a directory, ERR_DMS_NOT_FOUND / ERR_DMS_PERMISSION / ERR_DMS_IO.
 */
export async function fileSize(path: string): Promise<number> {
  const st = await statPath(path);
  if (st.isDirectory()) throw new DmsError("ERR_DMS_USAGE", `${path} is a directory; give a file`);
  return st.size;
}

/**
 * Reads at least `n` bytes (fewer at end of input) from the start of `stream` and returns them with a
 * stream that yields the whole input again, so the header can be looked at before decrypting.
 */
export async function peek(stream: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const it = stream[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  let have = 0;
  let ended = false;
  while (have < n) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    const b = Buffer.from(r.value as Uint8Array);
    parts.push(b);
    have += b.length;
  }
  const head = Buffer.concat(parts);
  async function* all() {
    if (head.length > 0) yield head;
    if (ended) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield Buffer.from(r.value as Uint8Array);
    }
  }
  return { head, stream: Readable.from(all(), { objectMode: false }) };
}

/**
 * Where output goes: stdout, or a file written by @dms/fs's rules (a temp file beside the target that
 * becomes it only on success; devices and FIFOs written directly; symlinks written through).
 */
export interface Output {
  stream: Writable;
  /**
   * Where the descriptor engine writes: descriptor 1 for stdout, else the file itself (its writev,
   * which may write a big file around the page cache: write through this, not its descriptor).
   */
  sink: FdOutput;
  toStdout: boolean;
  /** Makes the file durable and visible at its path (files), or waits for nothing (stdout). */
  commit(): Promise<void>;
  /** Drops the output: the target is left as it was. */
  abort(): Promise<void>;
}

/**
 * Permission bits of every new `-o` file before the umask, whichever way it is written: what `age -o`
 * and `cp` give (0644 under umask 022). An existing file keeps its own. The libraries' default is
 * owner-only.
 */
export const OUTPUT_MODE = 0o666;

/** Opens `path` for output (stdout when missing or `-`). */
export async function openOutput(path: string | undefined, mode = OUTPUT_MODE): Promise<Output> {
  if (isStd(path)) {
    return {
      // The process.stdout stream exists only once used: its first use switches a stdout pipe to
      // non-blocking mode, which the synchronous engine would then have to poll.
      get stream() {
        watchStdout();
        return process.stdout;
      },
      sink: 1,
      toStdout: true,
      async commit() {},
      async abort() {},
    };
  }
  const file = await openFile(path, { mode }).catch((err: unknown) => {
    throw fsError(err, path, "write");
  });
  return {
    get stream() {
      return file.writable();
    },
    sink: file,
    toStdout: false,
    async commit() {
      await file.commit().catch((err: unknown) => {
        throw fsError(err, path, "write");
      });
    },
    abort: () => file.abort(),
  };
}

/** Writes `bytes` to OUTPUT (stdout when missing or `-`) by the rules of {@link openOutput}. */
export async function writeBytes(bytes: Uint8Array, outPath: string | undefined): Promise<void> {
  const out = await openOutput(outPath);
  try {
    await new Promise<void>((resolve, reject) =>
      out.stream.write(bytes, (err) => (err ? reject(err) : resolve())),
    );
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  }
}

/**
 * The `--range` of an opened encrypted file, which is closed afterwards. Like an HTTP range, a length
 * running past the end is cut at the end.
 *
 * @throws DmsError ERR_DMS_USAGE when the range starts past the end of the plaintext.
 */
export async function readPlainRange(
  file: { size: number; read(offset: number, length: number): Promise<Uint8Array>; close(): Promise<void> },
  r: { offset: number; length: number },
): Promise<Uint8Array> {
  try {
    if (r.offset > file.size) {
      throw usage(`--range starts at ${r.offset}, past the end of the ${file.size}-byte plaintext`);
    }
    return await file.read(r.offset, Math.min(r.length, file.size - r.offset));
  } finally {
    await file.close();
  }
}

/**
 * Refuses to send binary ciphertext to a terminal, where it would garble the screen.
 *
 * @throws DmsError ERR_DMS_TERMINAL
 */
export function refuseBinaryToTerminal(): void {
  if (isTerminal(1)) {
    throw new DmsError(
      "ERR_DMS_TERMINAL",
      "refusing to write binary ciphertext to a terminal; use -a for armored text or -o FILE",
    );
  }
}
