// Descriptor to descriptor, for command-line tools: a regular file read synchronously 1 MiB at a
// time into one reused buffer, a pipe as its data arrives into another (pipe.ts), the sessions'
// chunk engine, vectored synchronous writes. Measured against the stream path (64 KiB
// reads through the thread pool, one round trip each), this removes most of the time a 1 GiB file
// took (see the README's benchmarks). It blocks the event loop between yields: it yields every
// 16 MiB so signal handlers, timers and an AbortSignal still run, which suits a CLI but not a
// server; libraries use encryptFile / decryptFile and the stream adapters, which never block.
import { readSync, writevSync } from "node:fs";
import { abortError, checkAbort, ioError } from "../errors.js";
import { DecryptSession } from "../session/decrypt.js";
import { EncryptSession } from "../session/encrypt.js";
import type { DecryptOptions, EncryptOptions } from "../session/options.js";
import { writeSteps } from "../stream/vectored.js";
import { decryptDuo, duoPlan, encryptDuo } from "./fd-duo.js";
import { pipeBlocks } from "./pipe.js";

const READ_SIZE = 1024 * 1024;
const READS_PER_YIELD = 16;
/** Decryption gets a pipe's bytes 64 KiB at a time, encryption 1 MiB: each was faster so (pipe.ts). */
const DECRYPT_PIPE_HAND_OUT = 64 * 1024;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * What the engine reads: a descriptor of a regular file (or a device), read synchronously; a pipe
 * or socket descriptor as `{ pipeFd }`, read as its data arrives without blocking the event loop
 * (so an interrupt is handled while the writer stalls), which the engine takes over and closes at
 * the end (0, 1 and 2 stay open); or any other stream (a terminal's), read asynchronously and
 * destroyed at the end or on failure.
 */
export type FdInput = number | { pipeFd: number } | AsyncIterable<Uint8Array>;

/**
 * Where the engine writes: a descriptor (a file, pipe, terminal or socket), written with
 * writevSync; or a writer that copies the parts before it resolves, such as @dms/fs's OutputFile
 * (which writes a big file around the page cache).
 */
export type FdOutput = number | { writev(parts: readonly Uint8Array[]): Promise<void> };

const isPipe = (input: FdInput): input is { pipeFd: number } =>
  typeof input === "object" && "pipeFd" in input && typeof input.pipeFd === "number";

/** The blocks of `input` to its end (a regular file's block is one reused buffer: use it before resuming). */
async function* blocks(
  input: FdInput,
  signal: AbortSignal | undefined,
  pipeHandOut?: number,
): AsyncGenerator<Uint8Array> {
  if (isPipe(input)) {
    yield* pipeBlocks(input.pipeFd, signal, pipeHandOut);
    return;
  }
  if (typeof input !== "number") {
    // An abort destroys the stream, which ends a read that would otherwise wait for a silent writer.
    // (Racing each read against one long-lived abort promise instead kept every chunk reachable.)
    const stream = input as { destroy?: (e?: Error) => void };
    const onAbort = () => stream.destroy?.(abortError(signal));
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      for await (const chunk of input) {
        checkAbort(signal);
        yield chunk;
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      stream.destroy?.();
    }
    return;
  }
  const buf = new Uint8Array(READ_SIZE);
  for (let reads = 1; ; reads++) {
    checkAbort(signal);
    let n: number;
    try {
      n = readSync(input, buf, 0, buf.length, null);
    } catch (e) {
      throw ioError(e);
    }
    if (n === 0) return;
    yield buf.subarray(0, n);
    if (reads % READS_PER_YIELD === 0) await new Promise((r) => setImmediate(r));
  }
}

/**
 * Writes all of `parts` to `fd` with writevSync, in order; a short write continues where it
 * stopped, and a descriptor in non-blocking mode (EAGAIN: a pipe whose reader is behind) is
 * retried after a pause. Other errors are ERR_AGE_IO or ERR_AGE_NO_SPACE keeping their errno
 * (EPIPE when the reader went away).
 */
async function writeAll(fd: FdOutput, parts: Uint8Array[]): Promise<void> {
  if (typeof fd !== "number") {
    try {
      return await fd.writev(parts);
    } catch (e) {
      throw ioError(e);
    }
  }
  try {
    for (const _ of writeSteps((p) => writevSync(fd, p), parts)) await sleep(1);
  } catch (e) {
    throw ioError(e);
  }
}

/**
 * Encrypts everything readable from `input` (see {@link FdInput}) to `output` (see
 * {@link FdOutput}). The caller owns both and makes a file output durable.
 *
 * @param total the input's size when known, for progress.
 * @throws AgeError as {@link encrypt}; ERR_AGE_IO or ERR_AGE_NO_SPACE (errno kept) for a failed
 * read or write.
 */
export async function encryptFd(
  input: FdInput,
  output: FdOutput,
  o: EncryptOptions,
  total?: number,
): Promise<void> {
  // A big regular file to a descriptor: both cores (fd-duo.ts).
  if (typeof input === "number" && typeof output === "number" && !o.armor) {
    const plan = duoPlan(input, o);
    if (plan) return encryptDuo(input, output, plan, o, total, (p) => writeAll(output, p));
  }
  for await (const parts of encryptToChunks(input, o, total)) await writeAll(output, parts);
}

/**
 * The age file of everything readable from `input` (see {@link FdInput}), as batches of
 * ciphertext pieces in order: the same engine as {@link encryptFd}, for a writer that is not a
 * descriptor (an object store's multipart upload, say). Each piece is fresh: keep it as long as needed.
 *
 * @param total the input's size when known, for progress.
 * @throws AgeError as {@link encrypt}; ERR_AGE_IO for a failed read.
 */
export async function* encryptToChunks(
  input: FdInput,
  o: EncryptOptions,
  total?: number,
): AsyncGenerator<Uint8Array[]> {
  const s = new EncryptSession(o, total);
  yield await s.start();
  for await (const b of blocks(input, o.signal)) yield await s.push(b);
  yield await s.finish();
}

/**
 * Decrypts everything readable from `input` to `output` (see {@link FdOutput}). Only authenticated
 * plaintext is written, in order; on a failure what authenticated before it has been written and
 * the caller must discard the output (a file: remove it).
 *
 * @throws AgeError as {@link decrypt}; ERR_AGE_IO or ERR_AGE_NO_SPACE (errno kept) for a failed
 * read or write.
 */
export async function decryptFd(
  input: FdInput,
  output: FdOutput,
  o: DecryptOptions,
  total?: number,
): Promise<void> {
  if (typeof input === "number" && typeof output === "number") {
    const plan = duoPlan(input, o);
    if (plan && (await decryptDuo(input, output, plan, o, total))) return;
  }
  const s = new DecryptSession(o, total);
  // Writes what authenticated, also before a failure; a write error then does not hide the failure.
  const release = async (work: (out: Uint8Array[]) => Promise<unknown>) => {
    const out: Uint8Array[] = [];
    try {
      await work(out);
    } catch (e) {
      await writeAll(output, out).catch(() => {});
      throw e;
    }
    await writeAll(output, out);
  };
  for await (const b of blocks(input, o.signal, DECRYPT_PIPE_HAND_OUT))
    await release((out) => s.push(b, out));
  await release((out) => s.finish(out));
}
