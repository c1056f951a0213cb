// When the descriptor engine (fd.ts) uses both cores: a regular file read by position, big enough
// to repay a worker's start, written to a descriptor, on a machine with a second core. Then the
// header is made or read here on the main thread and the payload goes to workers/duo.ts.
import { fstatSync, readFileSync, readSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { Backend } from "../backend/types.js";
import { ioError } from "../errors.js";
import { looksArmored } from "../format/armor.js";
import { DecryptSession } from "../session/decrypt.js";
import { EncryptSession } from "../session/encrypt.js";
import type { CommonOptions, DecryptOptions, EncryptOptions } from "../session/options.js";
import { CHUNK_SIZE, SEALED_CHUNK_SIZE, TAG_SIZE } from "../stream/chunk.js";

/**
 * Input bytes from which a second thread is used. Below it one thread finishes before a worker
 * would have started (~40 ms, about 40 MiB of work); `DMS_CRYPTO_DUO_MIN` overrides it (tests).
 */
const DUO_MIN_BYTES = 64 * 1024 * 1024;
const BATCH_PLAIN = 16 * CHUNK_SIZE;
const HEADER_READ = 1024 * 1024;

/** Where the input's unread bytes are: from `start` (the descriptor's offset), `bytes` of them. */
export interface DuoPlan {
  start: number;
  bytes: number;
}

/**
 * A plan when two threads apply: `DMS_CRYPTO_DUO` is not `0`, two cores, the native backend, a
 * regular file whose offset Linux reports (/proc/self/fdinfo), enough bytes left.
 */
export function duoPlan(fd: number, o: CommonOptions): DuoPlan | null {
  const env = process.env;
  if (env.DMS_CRYPTO_DUO === "0" || o.backend === "portable" || availableParallelism() < 2) return null;
  const min = env.DMS_CRYPTO_DUO_MIN ? Number(env.DMS_CRYPTO_DUO_MIN) : DUO_MIN_BYTES;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return null;
    const pos = /^pos:\s*(\d+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, "latin1"));
    if (!pos) return null;
    const start = Number(pos[1]);
    const bytes = st.size - start;
    return bytes >= min ? { start, bytes } : null;
  } catch {
    return null; // no /proc (not Linux): one thread
  }
}

type Report = (bytes: number, total: number | undefined) => void;

function reporter(o: CommonOptions): Report {
  return (bytes, total) => o.onProgress?.(total === undefined ? { bytes } : { bytes, total });
}

/**
 * Encrypts the plan's bytes of `fd` to `out`: the header here, the payload on two threads.
 * `write` writes the header the way the one-thread engine writes its output.
 */
export async function encryptDuo(
  fd: number,
  out: number,
  plan: DuoPlan,
  o: EncryptOptions,
  total: number | undefined,
  write: (parts: Uint8Array[]) => Promise<void>,
): Promise<void> {
  let key: { backend: Backend; key: Uint8Array } | undefined;
  const s = new EncryptSession(o, total, (backend, k) => {
    key = { backend, key: k };
    return null;
  });
  const duo = (await import("../workers/duo-main.js")).startDuo();
  try {
    await write(await s.start());
  } catch (e) {
    await duo.cancel();
    throw e;
  }
  const { backend, key: k } = key as NonNullable<typeof key>;
  const report = reporter(o);
  const job = { op: "seal" as const, key: k, inFd: fd, outFd: out, inStart: plan.start, inBytes: plan.bytes };
  await duo.run(job, backend, o.signal, (b) => report(Math.min(b * BATCH_PLAIN, plan.bytes), total));
  report(plan.bytes, total);
}

/**
 * Decrypts the plan's bytes of `fd` to `out` on two threads, after reading the header here.
 * Returns false, having read nothing the caller would miss, when the input is armored (armor has
 * no fixed offsets): the one-thread engine takes it from the start.
 */
export async function decryptDuo(
  fd: number,
  out: number,
  plan: DuoPlan,
  o: DecryptOptions,
  total: number | undefined,
): Promise<boolean> {
  const first = readAt(fd, plan.start, Math.min(plan.bytes, HEADER_READ));
  if (looksArmored(first) !== false) return false;
  let key: { backend: Backend; key: Uint8Array } | undefined;
  let body = 0;
  // The session parses the header and unlocks the key, with every error the one-thread engine
  // gives; the payload bytes it is handed after the header are only counted, to find the offset.
  const s = new DecryptSession(o, total, (backend, k) => {
    key = { backend, key: k };
    const count = async (d: Uint8Array, parts: Uint8Array[]) => {
      body += d.length;
      return parts;
    };
    return { push: count, finish: async (parts) => parts };
  });
  const duo = (await import("../workers/duo-main.js")).startDuo();
  let fed = 0;
  try {
    for (let b = first; ; b = readAt(fd, plan.start + fed, Math.min(plan.bytes - fed, HEADER_READ))) {
      await s.push(b);
      fed += b.length;
      if (key || fed === plan.bytes || b.length === 0) break;
    }
    if (!key) await s.finish(); // throws the header's error
  } catch (e) {
    await duo.cancel();
    throw e;
  }
  const { backend, key: k } = key as NonNullable<typeof key>;
  const at = fed - body;
  const sealed = plan.bytes - at;
  const plain = Math.max(0, sealed - Math.ceil(sealed / SEALED_CHUNK_SIZE) * TAG_SIZE);
  const report = reporter(o);
  const job = {
    op: "open" as const,
    key: k,
    inFd: fd,
    outFd: out,
    inStart: plan.start + at,
    inBytes: sealed,
  };
  await duo.run(job, backend, o.signal, (b) => report(Math.min(b * BATCH_PLAIN, plain), total));
  report(plain, total);
  return true;
}

function readAt(fd: number, pos: number, len: number): Uint8Array {
  const buf = new Uint8Array(len);
  let got = 0;
  try {
    while (got < len) {
      const n = readSync(fd, buf, got, len - got, pos + got);
      if (n === 0) break;
      got += n;
    }
  } catch (e) {
    throw ioError(e);
  }
  return buf.subarray(0, got);
}
