import { type Backend, loadBackend } from "../backend/select.js";
import { AgeError, checkAbort } from "../errors.js";
import { ArmorEncoder } from "../format/armor.js";
import { concatBytes } from "../format/bytes.js";
import { type Stanza, writeHeader } from "../format/header.js";
import { DEFAULT_WORK_FACTOR, HARD_MAX_WORK_FACTOR } from "../format/limits.js";
import { decodeRecipient } from "../recipients/keys.js";
import { ScryptRecipient } from "../recipients/scrypt.js";
import type { Recipient } from "../recipients/types.js";
import { derivePayloadKey, NONCE_SIZE } from "../stream/chunk.js";
import { ChunkSealer } from "../stream/incremental.js";
import type { EncryptOptions } from "./options.js";

function usage(what: string): never {
  throw new AgeError("ERR_AGE_USAGE", what);
}

/** Checks an encryption option set; returns its recipients, decoded once (ERR_AGE_USAGE / ERR_AGE_KEY). */
function checkOptions(o: EncryptOptions): Recipient[] {
  if (o === null || typeof o !== "object") usage("encrypt: options are required (recipients or passphrase)");
  const hasRecipients = o.recipients !== undefined;
  const hasPass = o.passphrase !== undefined;
  if (hasRecipients && hasPass)
    usage(
      "encrypt: pass either recipients or a passphrase, not both (age forbids mixing scrypt with other stanzas)",
    );
  if (!hasRecipients && !hasPass)
    usage("encrypt: no recipients and no passphrase; pass at least one recipient or a passphrase");
  if (hasPass && (typeof o.passphrase !== "string" || o.passphrase.length === 0))
    usage("encrypt: passphrase must be a non-empty string");
  if (hasRecipients && (!Array.isArray(o.recipients) || o.recipients.length === 0))
    usage("encrypt: recipients is empty; pass at least one age1... recipient");
  const wf = o.workFactor ?? DEFAULT_WORK_FACTOR;
  if (!Number.isInteger(wf) || wf < 1 || wf > HARD_MAX_WORK_FACTOR)
    usage(`encrypt: workFactor must be an integer from 1 to ${HARD_MAX_WORK_FACTOR}`);
  if (hasPass) return [new ScryptRecipient(o.passphrase as string, wf)];
  return (o.recipients as string[]).map(decodeRecipient);
}

/**
 * Builds a fresh header (new random file key) and payload nonce for decoded recipients.
 * Internal: shared by every encrypt flavour.
 */
async function prepareEncryption(
  o: EncryptOptions,
  recipients: readonly Recipient[],
): Promise<{ backend: Backend; header: Uint8Array; nonce: Uint8Array; payloadKey: Uint8Array }> {
  const backend = await loadBackend(o.backend);
  checkAbort(o.signal);
  await Promise.all(recipients.map((r) => r.prepare?.()));
  const fileKey = backend.randomBytes(16);
  const stanzas: Stanza[] = [];
  for (const r of recipients) stanzas.push(await r.wrap(backend, fileKey));
  checkAbort(o.signal);
  const header = writeHeader(backend, fileKey, stanzas);
  const nonce = backend.randomBytes(NONCE_SIZE);
  return { backend, header, nonce, payloadKey: derivePayloadKey(backend, fileKey, nonce) };
}

/**
 * An asynchronous replacement for {@link ChunkSealer} (the worker pool's sealer), injected by the
 * Node-only callers so this module stays free of `node:` imports.
 */
export interface AsyncSealer {
  push(data: Uint8Array): Promise<Uint8Array[]>;
  finish(): Promise<Uint8Array[]>;
}

/** Makes an {@link AsyncSealer} for a payload key, or returns null to keep the synchronous one. */
export type SealerFactory = (backend: Backend, payloadKey: Uint8Array) => AsyncSealer | null;

/**
 * An encryption in progress, independent of any stream flavour: {@link start} once, then
 * {@link push} plaintext of any split, then {@link finish}. Each resolves to output bytes in order;
 * await each before the next call.
 */
export class EncryptSession {
  private sealer: ChunkSealer | null = null;
  private async: AsyncSealer | null = null;
  private readonly armor: ArmorEncoder | null;
  private readonly recipients: Recipient[];
  private bytes = 0;

  constructor(
    private readonly o: EncryptOptions,
    private readonly total?: number,
    private readonly makeSealer?: SealerFactory,
  ) {
    // Validate now so stream factories fail synchronously, like the decrypt side.
    this.recipients = checkOptions(o);
    this.armor = o.armor ? new ArmorEncoder() : null;
  }

  private out(parts: Uint8Array[]): Uint8Array[] {
    if (!this.armor || parts.length === 0) return parts;
    const armor = this.armor;
    return parts.map((p) => armor.push(p)).filter((p) => p.length > 0);
  }

  /** Builds the header; returns header ‖ nonce. */
  async start(): Promise<Uint8Array[]> {
    const p = await prepareEncryption(this.o, this.recipients);
    this.async = this.makeSealer?.(p.backend, p.payloadKey) ?? null;
    if (!this.async) this.sealer = new ChunkSealer(p.backend, p.payloadKey);
    return this.out([p.header, p.nonce]);
  }

  /**
   * Seals the plaintext; resolves to the output that is ready. With the default sealer that is
   * every full chunk but the last; with an asynchronous one (worker threads) output may lag
   * input, and all of it is out after {@link finish}.
   */
  async push(data: Uint8Array): Promise<Uint8Array[]> {
    checkAbort(this.o.signal);
    const out = this.async ? await this.async.push(data) : this.started().push(data);
    this.bytes += data.length;
    this.progress();
    return this.out(out);
  }

  /** Seals the final chunk (and closes the armor). */
  async finish(): Promise<Uint8Array[]> {
    checkAbort(this.o.signal);
    const out = this.out(this.async ? await this.async.finish() : this.started().finish());
    if (this.armor) out.push(this.armor.finish());
    this.progress();
    return out;
  }

  private started(): ChunkSealer {
    if (!this.sealer) throw new RangeError("push or finish before start");
    return this.sealer;
  }

  private progress(): void {
    if (!this.o.onProgress) return;
    this.o.onProgress(
      this.total === undefined ? { bytes: this.bytes } : { bytes: this.bytes, total: this.total },
    );
  }
}

/**
 * Encrypts bytes, or a string as UTF-8, to recipients or a passphrase, returning a complete age file.
 *
 * @throws AgeError ERR_AGE_USAGE (bad option combination), ERR_AGE_KEY (a recipient does not
 * parse), ERR_AGE_ABORTED; TypeError when `plaintext` is neither bytes nor a string.
 * @example
 * ```ts
 * const ct = await encrypt("hi", { recipients: ["age1..."] });
 * ```
 */
export async function encrypt(input: Uint8Array | string, o: EncryptOptions): Promise<Uint8Array> {
  const plaintext = typeof input === "string" ? new TextEncoder().encode(input) : input;
  if (!(plaintext instanceof Uint8Array))
    throw new TypeError(`plaintext: expected Uint8Array or string, got ${typeof plaintext}`);
  const s = new EncryptSession(o, plaintext.length);
  const parts = await s.start();
  for (const p of await s.push(plaintext)) parts.push(p);
  for (const p of await s.finish()) parts.push(p);
  return concatBytes(parts);
}
