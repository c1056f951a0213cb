import { type BigIntStats, closeSync, createReadStream, fstatSync, openSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { atMost, flag, list, parse, str } from "../args.js";
import { fsError, usage } from "../errors.js";
import { HELP } from "../help.js";
import { interruptSignal } from "../interrupt.js";
import {
  fileSize,
  isStd,
  type Output,
  openOutput,
  refuseBinaryToTerminal,
  refuseSharedStdin,
  statPath,
} from "../io.js";
import { encryptionKeys } from "../keys.js";
import { type FdInput, type FdOutput, loadCore, loadCrypto } from "../lib.js";
import { paceMemory } from "../memory.js";
import { progress } from "../progress.js";
import { isS3Url } from "../s3-url.js";
import { writeStdout } from "../stdout.js";

/** `dms encrypt`: a file, stdin or a directory to age ciphertext (flags as age's). */
export async function encrypt(argv: string[]): Promise<number> {
  const p = parse("encrypt", argv, {
    recipient: { type: "string", short: "r", multiple: true },
    "recipients-file": { type: "string", short: "R", multiple: true },
    identity: { type: "string", short: "i", multiple: true },
    passphrase: { type: "boolean", short: "p" },
    "passphrase-file": { type: "string" },
    armor: { type: "boolean", short: "a" },
    output: { type: "string", short: "o" },
  });
  if (flag(p, "help")) {
    writeStdout(HELP.encrypt ?? "");
    return 0;
  }
  atMost("encrypt", p, 1);
  const input = p.positionals[0];
  const outPath = str(p, "output");
  const armor = flag(p, "armor");
  // Checked before any prompt, so a user is not asked for a passphrase only to be refused. `-o -`
  // says the user wants binary on standard output even on a terminal, as with age.
  if (outPath === undefined && !armor) refuseBinaryToTerminal();
  const toS3 = isS3Url(outPath);
  const isDir = !isStd(input) && (await statPath(input)).isDirectory();
  if (isDir && !isStd(outPath) && !toS3) {
    const rel = relative(resolve(input), resolve(outPath));
    // The archive would be written into the tree being archived, and would archive itself.
    if (rel === "" || (!rel.startsWith("..") && !isAbsolute(rel))) {
      throw usage(`-o ${outPath} is inside the folder being encrypted; write the output elsewhere`);
    }
  }
  if (!isStd(input) && !isStd(outPath) && input === outPath) throw usage("INPUT and -o name the same file");

  refuseSharedStdin([
    ["INPUT", [input]],
    ["-i", list(p, "identity")],
    ["-R", list(p, "recipients-file")],
    ["--passphrase-file", [str(p, "passphrase-file") ?? ""]],
  ]);

  // Flags are checked and the passphrase asked before the library loads, so usage errors are instant.
  const keys = await encryptionKeys(loadCore, {
    r: list(p, "recipient"),
    R: list(p, "recipients-file"),
    i: list(p, "identity"),
    p: flag(p, "passphrase"),
    passphraseFile: str(p, "passphrase-file"),
  });
  if (toS3) {
    const size = isStd(input) || isDir ? undefined : await fileSize(input);
    const { encryptToS3 } = await import("../s3.js");
    return encryptToS3(isStd(input) ? undefined : input, outPath, keys, armor, size);
  }
  if (isDir) {
    // The tar batches and their ciphertext are garbage once written: paced, a folder with 128 MiB
    // of files peaked at 88-90 MiB instead of 110-125, in the same time (memory.ts).
    paceMemory();
    const age = await loadCrypto();
    const bar = progress("encrypting");
    const out = await openOutput(outPath);
    try {
      await age.encryptDirectory(input, out.stream, {
        ...keys,
        armor,
        // An archive that `dms decrypt -x` would refuse is refused now, while the files are at hand.
        checkExtractable: true,
        onProgress: bar.update,
        signal: interruptSignal(),
      });
      await out.commit();
    } catch (err) {
      await out.abort();
      throw err;
    } finally {
      bar.done();
    }
    return 0;
  }

  const age = await loadCore();
  const inputPath = isStd(input) ? undefined : input;
  const bar = progress("encrypting", inputPath === undefined ? undefined : await fileSize(inputPath));
  try {
    await throughFds(inputPath, outPath, (inFd, outFd, size) =>
      age.encryptFd(inFd, outFd, { ...keys, armor, onProgress: bar.update, signal: interruptSignal() }, size),
    );
    return 0;
  } finally {
    bar.done();
  }
}

/**
 * Runs the engine from INPUT (stdin when undefined) to OUTPUT (stdout when missing or `-`; a file
 * goes to a temp file renamed over it only on success, so a failure leaves nothing). A regular file
 * is read synchronously by descriptor; a pipe as its data arrives and a terminal as a stream, so
 * an interrupt is handled while the writer stalls.
 */
export async function throughFds(
  inputPath: string | undefined,
  outPath: string | undefined,
  run: (input: FdInput, out: FdOutput, size: number | undefined) => Promise<void>,
): Promise<void> {
  let fd = 0;
  let stat: BigIntStats;
  try {
    if (inputPath !== undefined) fd = openSync(inputPath, "r");
    // bigint: a plain synchronous stat of a pipe leaves its type in Node's shared stat array, and
    // Node 20's realpathSync reads that array and stops resolving symlinks; the next dynamic import
    // (ML-KEM, on first post-quantum use) then fails to find its package under pnpm's layout.
    stat = fstatSync(fd, { bigint: true });
  } catch (err) {
    throw fsError(err, inputPath ?? "standard input", "read");
  }
  // A big file runs on two threads, each with its own cipher garbage: pacing keeps the two under
  // the memory of one (memory.ts).
  if (stat.isFile()) paceMemory(Number(stat.size));
  // A pipe or socket is read as its data arrives into one reused buffer; anything else that is not
  // a file (a terminal) as a stream. The engine closes a pipe and destroys a stream (standard input
  // stays open), so a named input's descriptor is closed here only when it is a file or when the
  // engine never got it.
  const input: FdInput = stat.isFile()
    ? fd
    : stat.isFIFO() || stat.isSocket()
      ? { pipeFd: fd }
      : inputPath === undefined
        ? process.stdin
        : createReadStream("", { fd, highWaterMark: 1024 * 1024 });
  let handedOver = false;
  try {
    const out = await openOutput(outPath);
    try {
      handedOver = !stat.isFile();
      await run(input, out.sink, stat.isFile() ? Number(stat.size) : undefined);
      await out.commit();
    } catch (err) {
      await out.abort();
      throw err;
    }
  } finally {
    if (inputPath !== undefined && !handedOver) closeSync(fd);
  }
}

/** Pipes `src` through `transform` to stdout or to a temp file renamed over `outPath` on success. */
export async function streamThrough(
  src: NodeJS.ReadableStream,
  transform: NodeJS.ReadWriteStream,
  outPath: string | undefined,
): Promise<void> {
  const out: Output = await openOutput(outPath);
  try {
    await pipeline(src, transform, out.stream, { end: !out.toStdout, signal: interruptSignal() });
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  }
}
