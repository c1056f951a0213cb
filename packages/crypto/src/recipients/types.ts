// What a recipient type is (c2sp.org/age, "Recipient stanzas"): one file per type implements these,
// so adding a type is adding a file and a line in registry.ts; the sessions only call the interfaces.
import type { Backend } from "../backend/types.js";
import type { Stanza } from "../format/header.js";

/** Wraps a file key into one stanza. Decoded once per operation, used for one header. */
export interface Recipient {
  /** The stanza type it writes. */
  readonly type: string;
  /** Loads what the type needs before {@link wrap} (ML-KEM is loaded on first use). */
  prepare?(): Promise<void>;
  wrap(backend: Backend, fileKey: Uint8Array): Stanza | Promise<Stanza>;
}

/** Unwraps a file key from stanzas of its type. Decoded once per operation. */
export interface Identity {
  /** The stanza type it reads. */
  readonly type: string;
  /** Loads what the type needs before {@link unwrap}. */
  prepare?(): Promise<void>;
  /**
   * The file key from a stanza of this identity's type (already checked by its {@link StanzaRule}),
   * or null when the stanza is not addressed to it.
   */
  unwrap(backend: Backend, stanza: Stanza): Uint8Array | null | Promise<Uint8Array | null>;
}

/** An identity written as a Bech32 key, which knows its recipient. */
export interface KeyIdentity extends Identity {
  toRecipient(): Promise<string>;
}

/** The header rules of one stanza type, checked for every stanza before any key is tried. */
export interface StanzaRule {
  readonly type: string;
  /** @throws AgeError ERR_AGE_HEADER when the stanza breaks the type's rules. */
  check(stanza: Stanza, header: { stanzas: number; maxWorkFactor: number }): void;
  /** What `inspect` may show of the stanza besides its type (never a body or a share). */
  describe?(stanza: Stanza): { workFactor?: number };
}

/** How a key type is written in Bech32 (c2sp.org/age, native recipient types). */
export interface KeyEncoding {
  /** Human-readable parts, lower case. */
  readonly recipientPrefix: string;
  readonly identityPrefix: string;
  /** A name for messages, such as "X25519". */
  readonly name: string;
  readonly recipientBytes: number;
  readonly identityBytes: number;
  recipient(bytes: Uint8Array): Recipient;
  identity(bytes: Uint8Array): KeyIdentity;
}
