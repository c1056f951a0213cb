// s3://bucket/key arguments. @dms/storage-s3 (and the AWS SDK under it) is imported only from here,
// and this module only when an argument is an s3:// URL, so every other command starts as fast as before.
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import type * as S3 from "@dms/storage-s3";
import { DmsError, type DmsErrorCode, usage } from "./errors.js";
import { interruptSignal } from "./interrupt.js";
import { openOutput, readPlainRange, writeBytes } from "./io.js";
import type { CryptoApi, DecryptOptions } from "./lib.js";
import { paceMemory } from "./memory.js";
import { progress } from "./progress.js";
import { askHidden } from "./prompt.js";

/** @dms/storage-s3's module, as loaded by {@link loadS3}. */
export type S3Api = typeof S3;
type Client = ReturnType<S3Api["createS3Client"]>;

let s3Module: Promise<S3Api> | undefined;

/** Loads @dms/storage-s3 once. */
export function loadS3(): Promise<S3Api> {
  // On Node 20 the SDK warns at every run that its 2027 releases will need Node 22. Only that one
  // warning is switched off, by the SDK's documented variable (aws/aws-sdk-js-v3#7983); a user who
  // sets the variable keeps their value, and every other warning still prints.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  s3Module ??= import("@dms/storage-s3").catch((err: unknown) => {
    throw new DmsError(
      "ERR_DMS_INTERNAL",
      `cannot load @dms/storage-s3 (${(err as Error).message}); reinstall, or build the workspace with 'npm run build'`,
      { cause: err },
    );
  });
  return s3Module;
}

const WRAP: Record<string, DmsErrorCode> = {
  ERR_S3_NO_BUCKET: "ERR_DMS_NOT_FOUND",
  ERR_S3_NO_KEY: "ERR_DMS_NOT_FOUND",
  ERR_S3_CREDENTIALS: "ERR_DMS_PERMISSION",
  ERR_S3_ACCESS_DENIED: "ERR_DMS_PERMISSION",
  ERR_S3_PARAMS: "ERR_DMS_USAGE",
  ERR_S3_ABORTED: "ERR_DMS_INTERRUPTED",
};

/**
 * An S3Error as the CLI's own error, in the wrapped-code style: the CLI's code, and the library's
 * code from `cause` (printed as `[ERR_S3_...]`). Anything else is returned as it is.
 */
export function wrapS3Error(err: unknown): unknown {
  const e = err as { name?: unknown; code?: unknown; message?: unknown } | null;
  if (e?.name !== "S3Error" || typeof e.code !== "string") return err;
  const code = WRAP[e.code] ?? "ERR_DMS_IO";
  return new DmsError(code, String(e.message), { cause: err });
}

/** Runs `fn` with a client for the SDK's standard chain (environment, profiles; `S3_ENDPOINT`). */
export async function withS3<T>(fn: (s3: S3Api, client: Client) => Promise<T>): Promise<T> {
  const s3 = await loadS3();
  let client: Client | undefined;
  try {
    client = s3.createS3Client();
    return await fn(s3, client);
  } catch (err) {
    throw wrapS3Error(err);
  } finally {
    client?.destroy();
  }
}

/** Bucket and key of an s3:// argument that must name one object. */
export function objectUrl(s3: S3Api, url: string, what: string): { bucket: string; key: string } {
  const loc = s3.parseS3Url(url);
  if (!s3.isSingleObject(loc.key)) {
    throw usage(`${what} ${url} does not name one object; give s3://BUCKET/KEY (no trailing '/' or '*')`);
  }
  return loc;
}

/** `dms encrypt ... -o s3://...`: encrypts a file, a folder or standard input straight into one object. */
export async function encryptToS3(
  input: string | undefined,
  url: string,
  keys: { recipients: string[] } | { passphrase: string },
  armor: boolean,
  size: number | undefined,
): Promise<number> {
  return withS3(async (s3, client) => {
    const { bucket, key } = objectUrl(s3, url, "-o");
    paceMemory(size);
    const bar = progress("encrypting", size);
    try {
      await s3.pushEncrypted(client, input ?? process.stdin, bucket, key, {
        ...keys,
        armor,
        checkExtractable: true,
        onProgress: bar.update,
        signal: interruptSignal(),
      });
    } finally {
      bar.done();
    }
    return 0;
  });
}

/** What `dms decrypt` asks of an s3:// INPUT. */
export interface DecryptS3 {
  identities: string[];
  passphrase: string | undefined;
  outPath: string | undefined;
  extract: string | undefined;
  allowLinks: boolean;
  range: { offset: number; length: number } | undefined;
}

/** `dms decrypt s3://...`: to a file or stdout, extracted (-x), or a byte range (--range). */
export async function decryptFromS3(age: CryptoApi, url: string, o: DecryptS3): Promise<number> {
  return withS3(async (s3, client) => {
    const { bucket, key } = objectUrl(s3, url, "INPUT");
    const signal = interruptSignal();
    const keys: DecryptOptions = { signal };
    if (o.identities.length > 0) keys.identities = o.identities;
    if (o.passphrase !== undefined) keys.passphrase = o.passphrase;
    const src = s3.s3RangeSource(client, bucket, key, signal);
    const size = await src.size();
    if (o.identities.length === 0 && o.passphrase === undefined) {
      const head = await src.read(0, Math.min(size, 4096));
      if (!age.looksPassphraseEncrypted(head)) {
        throw usage(
          "no identity given; use -i FILE (or --passphrase-file FILE for a passphrase-encrypted object)",
        );
      }
      keys.passphrase = await askHidden("Enter passphrase: ");
    }
    if (o.range !== undefined) return rangeFromS3(s3, client, bucket, key, o.range, keys, o.outPath);
    paceMemory(size);
    const bar = progress(o.extract !== undefined ? "extracting" : "decrypting", size);
    try {
      if (o.extract !== undefined) {
        await s3.pullEncryptedTo(client, bucket, key, o.extract, {
          ...keys,
          allowLinks: o.allowLinks,
          onProgress: bar.update,
        });
        return 0;
      }
      const out = await openOutput(o.outPath);
      try {
        // Its descriptor, not its stream: the object is read into one reused buffer and each
        // authenticated chunk written synchronously, as `dms decrypt` of a local file does.
        await s3.decryptObject(client, bucket, key, out.sink, { ...keys, onProgress: bar.update });
        await out.commit();
      } catch (err) {
        await out.abort();
        throw err;
      }
      return 0;
    } finally {
      bar.done();
    }
  });
}

async function rangeFromS3(
  s3: S3Api,
  client: Client,
  bucket: string,
  key: string,
  r: { offset: number; length: number },
  keys: DecryptOptions,
  outPath: string | undefined,
): Promise<number> {
  const file = await s3.openEncryptedObject(client, bucket, key, keys);
  await writeBytes(await readPlainRange(file, r), outPath);
  return 0;
}

/** The largest armored object or header `dms inspect` reads whole. */
const INSPECT_WHOLE_MAX = 64 * 1024 * 1024;

/**
 * `dms inspect s3://...`: the header from the first bytes of the object (one ranged GET), the
 * sizes from its length; an armored object (no random access) is read whole.
 */
export async function inspectS3(
  age: CryptoApi,
  url: string,
): Promise<Awaited<ReturnType<CryptoApi["inspect"]>>> {
  return withS3(async (s3, client) => {
    const { bucket, key } = objectUrl(s3, url, "FILE");
    const src = s3.s3RangeSource(client, bucket, key, interruptSignal());
    const size = await src.size();
    let head = await src.read(0, Math.min(size, 64 * 1024));
    const whole = async () => {
      if (size > INSPECT_WHOLE_MAX) {
        throw new DmsError(
          "ERR_DMS_IO",
          `${url}: armored or with a header over 64 KiB, and too large to read whole`,
        );
      }
      return src.read(0, size);
    };
    if (head.length < size && /^-----BEGIN/.test(Buffer.from(head.subarray(0, 16)).toString("latin1"))) {
      head = await whole();
    }
    let r: Awaited<ReturnType<CryptoApi["inspect"]>>;
    try {
      r = await age.inspect(head);
    } catch (err) {
      if (head.length === size) throw err;
      head = await whole();
      r = await age.inspect(head);
    }
    if (head.length === size) return r;
    // Only the head was read: the sizes follow from the object's length.
    const payloadBytes = size - r.headerBytes;
    return { ...r, payloadBytes, plaintextBytes: age.plaintextSize(payloadBytes), fileBytes: size };
  });
}

/** `dms volume push PATH s3://BUCKET/PREFIX`: plain (each file), or one encrypted archive. */
export async function pushVolume(
  controller: Parameters<S3Api["pullEncrypted"]>[3],
  path: string,
  url: string,
  keys: { recipients: string[] } | { passphrase: string } | undefined,
): Promise<Record<string, unknown>> {
  return withS3(async (s3, client) => {
    const loc = s3.parseS3Url(url);
    const size = await treeSize(path);
    paceMemory(size);
    const bar = progress(keys === undefined ? "uploading" : "encrypting and uploading", size);
    try {
      if (keys === undefined) {
        const provider = new s3.S3Provider(controller, client);
        const r = await provider.upload(
          path,
          { type: "s3", params: { bucket: loc.bucket, key: loc.key } },
          { signal: interruptSignal(), onProgress: (p) => bar.update({ bytes: p.bytes, total: size }) },
        );
        return { url, encrypted: false, objects: r.objects, bytes: r.bytes };
      }
      const { key } = objectUrl(s3, url, "the encrypted archive's URL");
      const r = await s3.pushEncrypted(client, path, loc.bucket, key, {
        ...keys,
        checkExtractable: true,
        onProgress: bar.update,
        signal: interruptSignal(),
      });
      return { url, encrypted: true, kind: r.kind, objects: 1, bytes: r.bytes };
    } finally {
      bar.done();
    }
  });
}

/** Bytes of the files under `path` (or of the file), for the progress bar's total. */
async function treeSize(path: string): Promise<number> {
  const st = await lstat(path);
  if (!st.isDirectory()) return st.isFile() ? st.size : 0;
  let n = 0;
  for (const e of await readdir(path, { withFileTypes: true })) {
    if (e.isDirectory() || e.isFile()) n += await treeSize(join(path, e.name));
  }
  return n;
}

/** `dms volume pull s3://...`: a new locked volume, plain or decrypted and extracted. */
export async function pullVolume(
  controller: Parameters<S3Api["pullEncrypted"]>[3],
  url: string,
  keys: { identities?: string[]; passphrase?: string } | undefined,
): Promise<Awaited<ReturnType<S3Api["pullEncrypted"]>>> {
  return withS3(async (s3, client) => {
    const loc = s3.parseS3Url(url);
    paceMemory();
    const bar = progress(keys === undefined ? "downloading" : "downloading and decrypting");
    try {
      if (keys === undefined) {
        const provider = new s3.S3Provider(controller, client);
        return await provider.download(
          { type: "s3", params: { bucket: loc.bucket, key: loc.key } },
          { signal: interruptSignal(), onProgress: bar.update },
        );
      }
      const { key } = objectUrl(s3, url, "the encrypted archive's URL");
      return await s3.pullEncrypted(client, loc.bucket, key, controller, {
        ...keys,
        signal: interruptSignal(),
        onProgress: bar.update,
      });
    } finally {
      bar.done();
    }
  });
}

/** `dms volume uploads s3://BUCKET/PREFIX [--abort]`: multipart uploads a killed process left. */
export async function incompleteUploads(
  url: string,
  abort: boolean,
): Promise<{ key: string; uploadId: string; initiated: string | undefined; aborted: boolean }[]> {
  return withS3(async (s3, client) => {
    const loc = s3.parseS3Url(url);
    const found = await s3.listIncompleteUploads(client, loc.bucket, loc.key);
    const aborted = abort ? await s3.abortIncompleteUploads(client, loc.bucket, loc.key) : [];
    const gone = new Set(aborted.map((u) => u.uploadId));
    return found.map((u) => ({
      key: u.key,
      uploadId: u.uploadId,
      initiated: u.initiated?.toISOString(),
      aborted: gone.has(u.uploadId),
    }));
  });
}
