import { type Backend, checkBackendName, loadBackend } from "../backend/select.js";
import { AgeError, checkAbort, headerError } from "../errors.js";
import { ArmorDecoder, looksArmored } from "../format/armor.js";
import { concatBytes } from "../format/bytes.js";
import { type Header, parseHeader, verifyHeaderMac } from "../format/header.js";
import { DEFAULT_MAX_WORK_FACTOR, HARD_MAX_WORK_FACTOR, MAX_HEADER_BYTES } from "../format/limits.js";
import { decodeIdentity } from "../recipients/keys.js";
import { checkStanzas } from "../recipients/registry.js";
import { SCRYPT_TYPE, ScryptIdentity } from "../recipients/scrypt.js";
import type { Identity } from "../recipients/types.js";
import { derivePayloadKey, NONCE_SIZE } from "../stream/chunk.js";
import { ChunkOpener } from "../stream/incremental.js";
import type { DecryptOptions } from "./options.js";

/**
 * An asynchronous replacement for {@link ChunkOpener} with the same release rules (the worker
 * pool's opener). Injected by the Node-only callers so this module stays free of `node:` imports.
 */
export interface AsyncOpener {
  push(data: Uint8Array, out: Uint8Array[]): Promise<Uint8Array[]>;
  finish(out: Uint8Array[]): Promise<Uint8Array[]>;
}

/** Makes an {@link AsyncOpener} for a payload key, or returns null to keep the synchronous one. */
export type OpenerFactory = (backend: Backend, payloadKey: Uint8Array) => AsyncOpener | null;

function usage(what: string): never {
  throw new AgeError("ERR_AGE_USAGE", what);
}

/** Decrypt options with their keys decoded: made once per operation ({@link decryptKeys}). */
export interface DecryptKeys {
  readonly identities: readonly Identity[];
  /** The passphrase as an identity, tried after the keys. */
  readonly passphrase: Identity | undefined;
  readonly maxWorkFactor: number;
  readonly signal: AbortSignal | undefined;
}

/**
 * Validates decrypt options and decodes their identities (Bech32 only; key arithmetic happens on
 * first use).
 *
 * @throws AgeError ERR_AGE_USAGE, ERR_AGE_KEY.
 */
export function decryptKeys(o: DecryptOptions): DecryptKeys {
  if (o === null || typeof o !== "object") usage("decrypt: options are required (identities or passphrase)");
  const ids = o.identities ?? [];
  if (!Array.isArray(ids)) usage("decrypt: identities must be an array of strings");
  if (ids.length === 0 && o.passphrase === undefined)
    usage("decrypt: no identities and no passphrase; pass at least one");
  if (o.passphrase !== undefined && typeof o.passphrase !== "string")
    usage("decrypt: passphrase must be a string");
  const maxWorkFactor = o.maxWorkFactor ?? DEFAULT_MAX_WORK_FACTOR;
  if (!Number.isInteger(maxWorkFactor) || maxWorkFactor < 1 || maxWorkFactor > HARD_MAX_WORK_FACTOR) {
    usage(`decrypt: maxWorkFactor must be an integer from 1 to ${HARD_MAX_WORK_FACTOR}`);
  }
  return {
    identities: ids.map(decodeIdentity),
    passphrase: o.passphrase === undefined ? undefined : new ScryptIdentity(o.passphrase, maxWorkFactor),
    maxWorkFactor,
    signal: o.signal,
  };
}

/**
 * Finds the file key: checks every stanza against its type's rules, tries each identity on the
 * stanzas of its type, then the passphrase, and checks the header MAC as soon as a key unwraps.
 *
 * @throws AgeError ERR_AGE_HEADER, ERR_AGE_NO_MATCH, ERR_AGE_HMAC, ERR_AGE_ABORTED.
 */
async function unlockFileKey(header: Header, keys: DecryptKeys, backend: Backend): Promise<Uint8Array> {
  checkStanzas(header.stanzas, keys.maxWorkFactor);
  const accept = (fileKey: Uint8Array | null): Uint8Array | null => {
    if (fileKey === null || fileKey.length !== 16) return null;
    if (!verifyHeaderMac(backend, fileKey, header)) {
      throw new AgeError("ERR_AGE_HMAC", "age header: MAC mismatch; the header was modified or damaged");
    }
    return fileKey;
  };
  const present = new Set(header.stanzas.map((s) => s.type));
  const tried = keys.passphrase ? [...keys.identities, keys.passphrase] : keys.identities;
  const usable = tried.filter((id) => present.has(id.type));
  // Only types the header uses are prepared: ML-KEM loads only for a post-quantum file.
  await Promise.all(usable.map((id) => id.prepare?.()));
  for (const id of usable) {
    for (const s of header.stanzas) {
      if (s.type !== id.type) continue;
      checkAbort(keys.signal);
      const ok = accept(await id.unwrap(backend, s));
      if (ok) return ok;
    }
  }
  if (present.has(SCRYPT_TYPE)) {
    throw new AgeError(
      "ERR_AGE_NO_MATCH",
      keys.passphrase
        ? "age: wrong passphrase; check it and try again"
        : "age: the file is passphrase-encrypted; pass its passphrase",
    );
  }
  throw new AgeError(
    "ERR_AGE_NO_MATCH",
    "age: no identity matched any recipient; use the key the file was encrypted to",
  );
}

/**
 * From a parsed header, the decoded keys, and the 16-byte payload nonce, derives the payload key.
 *
 * @throws AgeError ERR_AGE_HEADER, ERR_AGE_NO_MATCH, ERR_AGE_HMAC, ERR_AGE_ABORTED.
 */
export async function unlockPayloadKey(
  header: Header,
  keys: DecryptKeys,
  nonce16: Uint8Array,
  backend: Backend,
): Promise<Uint8Array> {
  if (nonce16.length !== NONCE_SIZE) headerError("payload nonce is missing or short");
  const fileKey = await unlockFileKey(header, keys, backend);
  return derivePayloadKey(backend, fileKey, nonce16);
}

/**
 * A decryption in progress, independent of any stream flavour. Handles armor detection, the
 * header, the nonce and the chunks. Every call returns only authenticated plaintext; after a
 * throw the session is dead and everything it returned before must be discarded by the caller.
 */
export class DecryptSession {
  private readonly keys: DecryptKeys;
  private stage: "detect" | "header" | "nonce" | "body" = "detect";
  private armor: ArmorDecoder | null = null;
  private pending: Uint8Array = new Uint8Array(0);
  private opener: ChunkOpener | null = null;
  private async: AsyncOpener | null = null;
  private bytes = 0;

  constructor(
    private readonly o: DecryptOptions,
    private readonly total?: number,
    private readonly makeOpener?: OpenerFactory,
  ) {
    this.keys = decryptKeys(o);
    checkBackendName(o.backend);
  }

  /**
   * Feeds input bytes; appends the plaintext that became available to `out` and resolves to it.
   * On rejection `out` holds exactly the plaintext authenticated before the failure. `data` may
   * be read after this returns, so do not modify it until the promise settles.
   */
  async push(data: Uint8Array, out: Uint8Array[] = []): Promise<Uint8Array[]> {
    checkAbort(this.o.signal);
    let d = data;
    if (this.stage === "detect") {
      // Only the first bytes are buffered here; a large first push is looked at in place.
      const head = this.pending.length === 0 ? d : concatBytes([this.pending, d]);
      const armored = looksArmored(head);
      if (armored === null) {
        this.pending = head === d ? d.slice() : head;
        return out;
      }
      d = head;
      this.pending = new Uint8Array(0);
      if (armored) this.armor = new ArmorDecoder();
      this.stage = "header";
    }
    if (this.armor) d = this.armor.push(d);
    return this.feed(d, out);
  }

  private async feed(d: Uint8Array, out: Uint8Array[]): Promise<Uint8Array[]> {
    if (this.stage === "body") return this.body(d, out);
    // Parse straight from the caller's bytes when nothing is buffered, so a one-shot decrypt of a
    // large buffer costs no copy; whatever is kept for later is copied (callers reuse buffers).
    let buf = d;
    if (this.pending.length > 0) {
      this.grow(d);
      buf = this.pending;
    }
    if (this.stage === "header") {
      // Re-parsing the whole buffer on every push would be quadratic for a header fed a byte at a
      // time; parse only when a `---` line may have completed, or the buffer has doubled (which
      // still catches malformed input and the size cap early, in amortised linear time).
      if (this.dashAt < 0) this.dashAt = indexOfDashes(buf, Math.max(0, this.scanned - 4));
      this.scanned = buf.length;
      const due =
        (this.dashAt >= 0 && d.includes(0x0a)) ||
        buf.length >= 2 * this.parsedAt ||
        buf.length >= MAX_HEADER_BYTES;
      let parsed: ReturnType<typeof parseHeader> = null;
      if (due) {
        this.parsedAt = buf.length;
        parsed = parseHeader(buf);
      }
      if (parsed === null) {
        if (buf === d) this.keep(d);
        return out;
      }
      this.header = parsed.header;
      buf = buf.subarray(parsed.length);
      this.stage = "nonce";
    }
    if (buf.length < NONCE_SIZE) {
      this.keep(buf);
      return out;
    }
    const nonce = buf.slice(0, NONCE_SIZE);
    const rest = buf.subarray(NONCE_SIZE);
    this.pending = new Uint8Array(0);
    const backend = await loadBackend(this.o.backend);
    const key = await unlockPayloadKey(this.header as Header, this.keys, nonce, backend);
    checkAbort(this.o.signal);
    this.async = this.makeOpener?.(backend, key) ?? null;
    if (!this.async) this.opener = new ChunkOpener(backend, key);
    this.stage = "body";
    return this.body(rest, out);
  }

  /** Replaces `pending` with a copy of `b` (which may alias the old store). */
  private keep(b: Uint8Array): void {
    const next = new Uint8Array(Math.max(1024, 2 * b.length));
    next.set(b, 0);
    this.store = next;
    this.pending = next.subarray(0, b.length);
  }

  private body(d: Uint8Array, out: Uint8Array[]): Uint8Array[] | Promise<Uint8Array[]> {
    const before = out.length;
    if (this.async) return this.async.push(d, out).finally(() => this.released(out, before));
    try {
      return (this.opener as ChunkOpener).push(d, out);
    } finally {
      this.released(out, before);
    }
  }

  private header: Header | null = null;
  private scanned = 0;
  private dashAt = -1;
  private parsedAt = 0;
  private store = new Uint8Array(0);

  /** Appends to `pending` with capacity doubling (header and nonce stages only). */
  private grow(d: Uint8Array): void {
    const len = this.pending.length;
    if (
      this.pending.byteOffset !== 0 ||
      this.pending.buffer !== this.store.buffer ||
      len + d.length > this.store.length
    ) {
      const next = new Uint8Array(Math.max(1024, 2 * (len + d.length)));
      next.set(this.pending, 0);
      this.store = next;
    }
    this.store.set(d, len);
    this.pending = this.store.subarray(0, len + d.length);
  }

  /** Signals end of input; appends the final plaintext to `out` and resolves to it. */
  async finish(out: Uint8Array[] = []): Promise<Uint8Array[]> {
    checkAbort(this.o.signal);
    // Still detecting: the input is empty or a proper prefix of the binary magic.
    if (this.stage === "detect")
      headerError(this.pending.length === 0 ? "input is empty" : "header is truncated");
    if (this.armor) this.armor.finish();
    if (this.stage === "header") {
      // Report the precise problem if the buffered bytes are malformed rather than just short.
      parseHeader(this.pending);
      headerError("header is truncated");
    }
    if (this.stage === "nonce") headerError("payload nonce is missing or short");
    if (this.async) {
      const before = out.length;
      return this.async.finish(out).finally(() => this.released(out, before));
    }
    const last = (this.opener as ChunkOpener).finish();
    if (last.length > 0) {
      out.push(last);
      this.released(out, out.length - 1);
    }
    return out;
  }

  private released(parts: Uint8Array[], from: number): void {
    if (parts.length === from) return;
    for (let i = from; i < parts.length; i++) this.bytes += (parts[i] as Uint8Array).length;
    if (this.o.onProgress) {
      this.o.onProgress(
        this.total === undefined ? { bytes: this.bytes } : { bytes: this.bytes, total: this.total },
      );
    }
  }
}

/** Index of a line starting with `---` (i.e. "\n---") at or after `from`, or -1. */
function indexOfDashes(buf: Uint8Array, from: number): number {
  let i = buf.indexOf(0x0a, from);
  while (i >= 0 && i + 3 < buf.length + 1) {
    if (buf[i + 1] === 0x2d && buf[i + 2] === 0x2d && buf[i + 3] === 0x2d) return i;
    i = buf.indexOf(0x0a, i + 1);
  }
  return -1;
}

/**
 * Decrypts a complete age file (binary, or armored as bytes or as a string, detected automatically).
 * With `"text"` as the third argument the plaintext is returned as a string (it must be UTF-8).
 *
 * @throws AgeError ERR_AGE_HEADER, ERR_AGE_NO_MATCH, ERR_AGE_HMAC, ERR_AGE_PAYLOAD, ERR_AGE_ARMOR,
 * ERR_AGE_NOT_AGE, ERR_AGE_KEY, ERR_AGE_USAGE (also: "text" asked for and the plaintext is not UTF-8),
 * ERR_AGE_ABORTED.
 * @example
 * ```ts
 * const pt = await decrypt(ct, { identities: ["AGE-SECRET-KEY-1..."] });
 * const text = await decrypt(armoredString, { identities }, "text");
 * ```
 */
export async function decrypt(ciphertext: Uint8Array | string, o: DecryptOptions): Promise<Uint8Array>;
export async function decrypt(
  ciphertext: Uint8Array | string,
  o: DecryptOptions,
  as: "text",
): Promise<string>;
export async function decrypt(
  input: Uint8Array | string,
  o: DecryptOptions,
  as?: "text",
): Promise<Uint8Array | string> {
  const ciphertext = typeof input === "string" ? new TextEncoder().encode(input) : input;
  if (!(ciphertext instanceof Uint8Array))
    throw new TypeError(`ciphertext: expected Uint8Array or string, got ${typeof ciphertext}`);
  if (as !== undefined && as !== "text")
    throw new TypeError(`as: expected "text" or nothing, got ${String(as)}`);
  const bytes = await decryptBytes(ciphertext, o);
  if (as !== "text") return bytes;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AgeError("ERR_AGE_USAGE", "the plaintext is not UTF-8 text; decrypt it as bytes instead");
  }
}

async function decryptBytes(ciphertext: Uint8Array, o: DecryptOptions): Promise<Uint8Array> {
  const s = new DecryptSession(o);
  const parts: Uint8Array[] = [];
  await s.push(ciphertext, parts);
  await s.finish(parts);
  return concatBytes(parts);
}
