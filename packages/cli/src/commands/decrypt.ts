import { createReadStream } from "node:fs";
import { open, readdir } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { atMost, flag, list, parse, str } from "../args.js";
import { DmsError, fsError, usage } from "../errors.js";
import { HELP } from "../help.js";
import { interruptSignal } from "../interrupt.js";
import {
  fileSize,
  isStd,
  peek,
  readPassphraseFile,
  readPlainRange,
  refuseSharedStdin,
  writeBytes,
} from "../io.js";
import { collectIdentities } from "../keys.js";
import { type CryptoApi, type DecryptOptions, loadCore, loadCrypto } from "../lib.js";
import { progress } from "../progress.js";
import { askHidden } from "../prompt.js";
import { isS3Url } from "../s3-url.js";
import { writeStdout } from "../stdout.js";
import { streamThrough, throughFds } from "./encrypt.js";

const HEAD_BYTES = 4096;

/** `dms decrypt`: to a file or stdout, a directory (-x), or a byte range (--range). */
export async function decrypt(argv: string[]): Promise<number> {
  const p = parse("decrypt", argv, {
    identity: { type: "string", short: "i", multiple: true },
    "passphrase-file": { type: "string" },
    output: { type: "string", short: "o" },
    extract: { type: "string", short: "x" },
    range: { type: "string" },
    "allow-links": { type: "boolean" },
  });
  if (flag(p, "help")) {
    writeStdout(HELP.decrypt ?? "");
    return 0;
  }
  atMost("decrypt", p, 1);
  const input = p.positionals[0];
  const outPath = str(p, "output");
  const extract = str(p, "extract");
  const range = str(p, "range");
  if (extract !== undefined && outPath !== undefined) throw usage("-x and -o cannot be used together");
  if (extract !== undefined && range !== undefined) throw usage("-x and --range cannot be used together");
  const allowLinks = flag(p, "allow-links");
  if (allowLinks && extract === undefined) throw usage("--allow-links only applies to -x DIR");
  if (range !== undefined && isStd(input))
    throw usage("--range needs INPUT to be a file, not standard input");
  const parsedRange = range === undefined ? undefined : parseRange(range);
  refuseSharedStdin([
    ["INPUT", [input]],
    ["-i", list(p, "identity")],
    ["--passphrase-file", [str(p, "passphrase-file") ?? ""]],
  ]);
  if (extract !== undefined) await checkEmptyDir(extract);

  // The keys and the file engine; directories, streams and ranges load the rest where they need it.
  const age = await loadCore();
  const identities = await collectIdentities(age, list(p, "identity"));
  const passFile = str(p, "passphrase-file");
  let passphrase = passFile === undefined ? undefined : await readPassphraseFile(passFile);

  if (isS3Url(input)) {
    const { decryptFromS3 } = await import("../s3.js");
    return decryptFromS3(await loadCrypto(), input, {
      identities,
      passphrase,
      outPath,
      extract,
      allowLinks,
      range: parsedRange,
    });
  }
  // Streams are opened only on the path that reads them; until then a file input is only checked.
  const inputPath = isStd(input) ? undefined : input;
  const size = inputPath === undefined ? undefined : await fileSize(inputPath);
  // process.stdin is touched only where it is read as a stream: touching it turns a stdin pipe
  // non-blocking, which the synchronous engine would then have to poll.
  let stdin: NodeJS.ReadableStream | undefined;
  if (identities.length === 0 && passphrase === undefined) {
    let head: Uint8Array;
    if (inputPath !== undefined) head = await readHead(inputPath);
    else ({ head, stream: stdin } = await peek(process.stdin, HEAD_BYTES));
    if (!age.looksPassphraseEncrypted(head)) {
      throw usage(
        "no identity given; use -i FILE (or --passphrase-file FILE for a passphrase-encrypted file)",
      );
    }
    passphrase = await askHidden("Enter passphrase: ");
  }
  const keys: DecryptOptions = { signal: interruptSignal() };
  if (identities.length > 0) keys.identities = identities;
  if (passphrase !== undefined) keys.passphrase = passphrase;

  if (parsedRange !== undefined && inputPath !== undefined) {
    return readRange(await loadCrypto(), inputPath, parsedRange, keys, outPath);
  }

  const bar = progress(extract !== undefined ? "extracting" : "decrypting", size);
  try {
    if (extract !== undefined) {
      await (await loadCrypto()).extractDirectory(inputPath ?? stdin ?? process.stdin, extract, {
        ...keys,
        allowLinks,
        onProgress: bar.update,
      });
      return 0;
    }
    if (stdin !== undefined) {
      // Standard input was peeked at through its stream (to see whether to ask for a passphrase).
      const { decryptNodeStream } = await loadCrypto();
      await streamThrough(stdin, decryptNodeStream({ ...keys, onProgress: bar.update }), outPath);
      return 0;
    }
    // A -o file is written beside the target and renamed only after the last chunk authenticated.
    await throughFds(inputPath, outPath, (inFd, outFd, total) =>
      age.decryptFd(inFd, outFd, { ...keys, onProgress: bar.update }, total),
    );
    return 0;
  } finally {
    bar.done();
  }
}

function parseRange(s: string): { offset: number; length: number } {
  const m = /^(\d+):(\d+)$/.exec(s);
  const offset = Number(m?.[1]);
  const length = Number(m?.[2]);
  if (!m || !Number.isSafeInteger(offset) || !Number.isSafeInteger(length)) {
    throw usage(`--range takes OFFSET:LENGTH in bytes, like 1048576:4096; got '${s}'`);
  }
  return { offset, length };
}

async function readRange(
  age: CryptoApi,
  path: string,
  r: { offset: number; length: number },
  keys: DecryptOptions,
  outPath: string | undefined,
): Promise<number> {
  let file: Awaited<ReturnType<CryptoApi["openEncrypted"]>>;
  try {
    file = await age.openEncrypted(path, keys);
  } catch (err) {
    // Random access needs binary age; armored input is read whole instead (crypto says which by code).
    if ((err as { code?: unknown }).code !== "ERR_AGE_ARMORED") throw err;
    await writeBytes(await rangeOfStream(age, path, r, keys), outPath);
    return 0;
  }
  await writeBytes(await readPlainRange(file, r), outPath);
  return 0;
}

/**
 * Armored files have no random access: decrypt the whole stream (authenticating all of it) and keep
 * only the range.
 */
async function rangeOfStream(
  age: CryptoApi,
  path: string,
  r: { offset: number; length: number },
  keys: DecryptOptions,
): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  let pos = 0;
  const end = r.offset + r.length;
  const dec = age.decryptNodeStream(keys);
  const src = createReadStream(path);
  const collect = async (chunks: AsyncIterable<Buffer | Uint8Array>) => {
    for await (const c of chunks) {
      const from = Math.max(r.offset, pos);
      const to = Math.min(end, pos + c.length);
      if (to > from) parts.push(Buffer.from(c.subarray(from - pos, to - pos)));
      pos += c.length;
    }
  };
  await pipeline(src, dec, collect, { signal: interruptSignal() });
  if (r.offset > pos) throw usage(`--range starts at ${r.offset}, past the end of the ${pos}-byte plaintext`);
  return Buffer.concat(parts);
}

async function readHead(path: string): Promise<Uint8Array> {
  try {
    const fh = await open(path, "r");
    try {
      const buf = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw fsError(err, path, "read");
  }
}

async function checkEmptyDir(dir: string): Promise<void> {
  try {
    const names = await readdir(dir);
    if (names.length > 0) {
      throw new DmsError(
        "ERR_DMS_EXISTS",
        `-x ${dir}: the folder is not empty; give an absent or empty folder`,
      );
    }
  } catch (err) {
    if (err instanceof DmsError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    throw fsError(err, dir, "extract into");
  }
}
