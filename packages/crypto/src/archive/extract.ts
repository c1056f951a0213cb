import { open } from "node:fs/promises";
import { dirname } from "node:path";
import type { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Header as Headers } from "tar-stream";
import { AgeError, checkAbort, ioError } from "../errors.js";
import { Confinement } from "./confine.js";
import { archiveError, UNTRUSTED } from "./errors.js";
import { type ExtractOptions, resolveLimits } from "./names.js";
import { ExtractPolicy } from "./policy.js";
import { tarBytes } from "./sniff.js";
import { checkTarget, commitStaging, createStaging, removeStaging } from "./staging.js";
import { tarExtract } from "./tar.js";
import { TreeWriter } from "./writer.js";

/** Tar bytes: a Node stream or any async iterable of chunks. */
type Source = Readable | NodeJS.ReadableStream | AsyncIterable<Uint8Array>;

/** What an extraction created. */
export interface ExtractResult {
  /** Entries in the archive (files, directories, links). */
  entries: number;
  /** Bytes of file content written. */
  bytes: number;
}

/** Options of the tar layer: caps, links, abort and progress. */
interface TarExtractOptions extends ExtractOptions {
  signal?: AbortSignal | undefined;
  onProgress?: (p: { bytes: number; total?: number }) => void;
}

// tar pads archives to whole records (10 KiB by default, 1 MiB at blocking factor 2048); the
// end-of-archive block must lie within what is kept.
const MAX_TRAILER = 1024 * 1024;

interface DirToFinish {
  path: string;
  mode: number;
  mtime: Date | undefined;
}

/** Keeps the last bytes of the stream, to check the end-of-archive marker after parsing. */
class Tail {
  private chunks: Uint8Array[] = [];
  private kept = 0;
  total = 0;

  push(chunk: Uint8Array): void {
    this.total += chunk.length;
    this.chunks.push(chunk);
    this.kept += chunk.length;
    while (this.chunks.length > 1 && this.kept - (this.chunks[0] as Uint8Array).length >= MAX_TRAILER) {
      this.kept -= (this.chunks.shift() as Uint8Array).length;
    }
  }

  /** True when the 512 bytes at absolute offset `at` are kept and all zero. */
  zeroBlockAt(at: number): boolean {
    if (at + 512 > this.total || this.total - at > this.kept) return false;
    let pos = this.total - this.kept;
    for (const c of this.chunks) {
      for (let i = Math.max(0, at - pos); i < c.length && pos + i < at + 512; i++) {
        if (c[i] !== 0) return false;
      }
      pos += c.length;
    }
    return true;
  }
}

function wrap(e: unknown, dir: string): AgeError {
  if (e instanceof AgeError) return e;
  // A write error inside the staging tree names the target the user gave.
  if (typeof (e as NodeJS.ErrnoException)?.code === "string" && (e as NodeJS.ErrnoException).syscall)
    return ioError(e, dir);
  const why = e instanceof Error ? e.message : String(e);
  return archiveError(
    "ERR_ARCHIVE_MALFORMED",
    undefined,
    `the tar stream is damaged (${why})`,
    "check that the file is a directory archive, not one encrypted file (decrypt that instead), and was not cut short",
    e,
  );
}

/**
 * Extracts a tar stream into `dir` through a staging directory beside it, applying the
 * hardening policy to every entry. `transforms` (e.g. an age decrypt stream) sit between the
 * source and the tar parser; they are made only when the pipeline starts, so none can fail
 * unheard. The tree is moved into place only when all of them and the parser ended cleanly,
 * so on any failure `dir` is left as it was. `source` may be a function that makes the
 * stream, so a file is opened only once the target is checked.
 *
 * @throws AgeError ERR_ARCHIVE_* refusals, ERR_AGE_IO, ERR_AGE_ABORTED, or whatever the transforms raise.
 */
export async function extractTar(
  source: Source | (() => Source),
  dir: string,
  o: TarExtractOptions = {},
  transforms: () => Transform[] = () => [],
): Promise<ExtractResult> {
  const limits = resolveLimits(o);
  checkAbort(o.signal);
  const target = await checkTarget(dir);
  const staging = await createStaging(target);
  try {
    const result = await extractInto(source, staging, limits, o, transforms);
    checkAbort(o.signal);
    if (limits.fsync) await syncDir(staging);
    await commitStaging(staging, target);
    // Makes the rename itself durable; the tree is in place either way, so this is best effort.
    if (limits.fsync) await syncDir(dirname(target.dir)).catch(() => {});
    return result;
  } catch (e) {
    await removeStaging(staging);
    throw wrap(e, dir);
  }
}

async function extractInto(
  source: Source | (() => Source),
  root: string,
  limits: ReturnType<typeof resolveLimits>,
  o: TarExtractOptions,
  transforms: () => Transform[],
): Promise<ExtractResult> {
  const policy = new ExtractPolicy(limits);
  const ex = tarExtract();
  const tail = new Tail();
  // Insertion order is parents first; a later explicit entry for an implied directory updates it in place.
  const dirs = new Map<string, DirToFinish>();
  const confined = await Confinement.of(root);
  const writer = new TreeWriter(confined, limits.fsync);
  let failure: unknown;
  let lastEnd = 0;
  let written = 0;
  // The parser closing is a consequence of a failure (a write that hit a full disk destroys the entry
  // stream, which closes the parser), never its cause: a real error that arrives later replaces it.
  const fail = (e: unknown): void => {
    if (failure === undefined || (consequences.has(failure as object) && !consequences.has(e as object)))
      failure = e;
    ex.destroy(e instanceof Error ? e : new Error(String(e)));
  };

  const writeEntry = async (header: Headers, stream: AsyncIterable<Uint8Array>): Promise<void> => {
    checkAbort(o.signal);
    // `tar -t` stops at the end-of-archive marker (zero blocks): nothing after it may be written, so
    // an entry whose header follows a zero block where a header belongs is refused.
    if (tail.zeroBlockAt(lastEnd)) {
      throw archiveError(
        "ERR_ARCHIVE_MALFORMED",
        header.name,
        "the entry is hidden after the end-of-archive marker, where tar does not list it",
        UNTRUSTED,
      );
    }
    const action = policy.admit(header);
    // byteOffset (where this entry's data starts) is set by tar-stream but not in its types.
    const offset = (header as Headers & { byteOffset?: number }).byteOffset ?? 0;
    lastEnd = offset + (header.type === "directory" ? 0 : Math.ceil(header.size / 512) * 512);
    if (action.kind === "root") {
      for await (const _ of stream);
      return;
    }
    for (const p of action.parents) {
      await writer.mkdir(p);
      dirs.set(p, { path: p, mode: 0o755, mtime: undefined });
    }
    switch (action.kind) {
      case "dir":
        for await (const _ of stream);
        if (!action.exists) await writer.mkdir(action.path);
        dirs.set(action.path, { path: action.path, mode: action.mode, mtime: header.mtime });
        return;
      case "symlink":
        for await (const _ of stream);
        await writer.symlink(action.path, action.target);
        return;
      case "hardlink":
        for await (const _ of stream);
        await writer.hardlink(action.path, action.target);
        return;
      case "file":
        await writer.file(action.path, header.name, action.size, action.mode, header.mtime, stream);
        written += action.size;
        o.onProgress?.({ bytes: written });
    }
  };

  let current: Promise<void> = Promise.resolve();
  ex.on("entry", (header: Headers, stream, next: (err?: Error) => void) => {
    // A destroyed parser errors the current entry too; `fail` already holds the cause.
    stream.on("error", () => {});
    current = writeEntry(header, stream as unknown as AsyncIterable<Uint8Array>).then(
      () => next(),
      (e) => fail(e),
    );
  });

  const ended = new Promise<void>((resolveEnd, rejectEnd) => {
    ex.on("finish", () => resolveEnd());
    ex.on("error", (e: Error) => rejectEnd(e));
    ex.on("close", () => rejectEnd(consequence("tar parser closed before the end")));
  });
  ended.catch(() => {});

  const feed = async (chunks: AsyncIterable<Uint8Array>): Promise<void> => {
    for await (const chunk of tarBytes(chunks)) {
      if (failure !== undefined) throw failure;
      tail.push(chunk);
      if (!ex.write(chunk)) await drained(ex);
    }
    ex.end(undefined);
    await ended;
  };

  try {
    // pipeline's overloads cannot type a spread of transforms.
    const run = pipeline as unknown as (...stages: unknown[]) => Promise<void>;
    // A source made only now cannot emit an error before pipeline listens to it.
    await run(typeof source === "function" ? source() : source, ...transforms(), feed);
  } catch (e) {
    fail(e);
  }
  if (failure !== undefined) {
    // Nothing may still be writing when the caller removes the staging tree.
    await current;
    await writer.settle();
    throw failure;
  }
  await writer.flush();
  if (!tail.zeroBlockAt(lastEnd)) {
    throw archiveError(
      "ERR_ARCHIVE_MALFORMED",
      undefined,
      "the archive has no end-of-archive marker (it was cut short)",
      "ask for a complete copy of the archive",
    );
  }
  // Children first, so a read-only directory is made read-only after its contents exist.
  const list = [...dirs.values()];
  for (let i = list.length - 1; i >= 0; i--) {
    const d = list[i] as DirToFinish;
    // Through a descriptor opened without following a link, after checking the parents.
    const fh = await confined.openDir(d.path);
    try {
      await fh.chmod(d.mode);
      if (d.mtime) await fh.utimes(d.mtime, d.mtime);
      if (limits.fsync) await fh.sync();
    } finally {
      await fh.close();
    }
  }
  return { entries: policy.entries, bytes: written };
}

const consequences = new WeakSet<object>();

/** An error that only reports that another failure stopped the parser. */
function consequence(message: string): Error {
  const e = new Error(message);
  consequences.add(e);
  return e;
}

/** fsync a directory, so the entries created in it are durable. */
async function syncDir(path: string): Promise<void> {
  const fh = await open(path, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Resolves when the parser takes writes again; rejects once it is closed. A parser already
 * destroyed (tar-stream destroys it when an entry's writer gives up, say on a full disk, before our
 * own failure handler has run) emits neither event again: waiting for one hung extraction.
 */
export function drained(ex: ReturnType<typeof tarExtract>): Promise<void> {
  const state = ex as unknown as { destroying?: boolean; destroyed?: boolean };
  if (state.destroying || state.destroyed) return Promise.reject(consequence("tar parser closed"));
  return new Promise((resolveDrain, rejectDrain) => {
    const done = (err?: Error) => {
      ex.off("drain", onDrain);
      ex.off("close", onClose);
      if (err) rejectDrain(err);
      else resolveDrain();
    };
    const onDrain = () => done();
    const onClose = () => done(consequence("tar parser closed"));
    ex.on("drain", onDrain);
    ex.on("close", onClose);
  });
}
