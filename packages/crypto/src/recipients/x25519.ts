import { loadBackend } from "../backend/select.js";
import type { Backend } from "../backend/types.js";
import { AgeError, headerError } from "../errors.js";
import { decodeBase64, encodeBase64 } from "../format/base64.js";
import { encodeBech32 } from "../format/bech32.js";
import { concatBytes } from "../format/bytes.js";
import type { Stanza } from "../format/header.js";
import type { KeyEncoding, KeyIdentity, Recipient, StanzaRule } from "./types.js";

// c2sp.org/age, X25519 recipient stanza.
const INFO = "age-encryption.org/v1/X25519";
const TYPE = "X25519";
const ZERO_NONCE = new Uint8Array(12);

function isAllZero(b: Uint8Array): boolean {
  let acc = 0;
  for (const x of b) acc |= x;
  return acc === 0;
}

/** Wraps the file key for an X25519 recipient public key. */
function wrapX25519(backend: Backend, fileKey: Uint8Array, recipient: Uint8Array): Stanza {
  const ephemeral = backend.randomBytes(32);
  const share = backend.x25519(ephemeral);
  const shared = backend.x25519(ephemeral, recipient);
  // A low-order recipient key would make the wrap key public; refuse rather than leak.
  if (isAllZero(shared)) {
    throw new AgeError("ERR_AGE_KEY", "X25519 recipient is a low-order point; use a real age1... recipient");
  }
  const wrapKey = backend.hkdf(shared, concatBytes([share, recipient]), INFO, 32);
  return { type: TYPE, args: [encodeBase64(share)], body: backend.seal(wrapKey, ZERO_NONCE, fileKey) };
}

/**
 * Checks an X25519 stanza's shape: exactly one argument after the type, canonical base64 of
 * 32 bytes, and a 32-byte body (checked before any AEAD call, against partitioning oracles).
 *
 * @throws AgeError ERR_AGE_HEADER.
 */
function checkX25519Stanza(s: Stanza): Uint8Array {
  if (s.args.length !== 1) headerError("X25519 stanza must have exactly 2 arguments");
  const share = decodeBase64(s.args[0] as string);
  if (share === null || share.length !== 32) headerError("X25519 stanza share is not 32 bytes of base64");
  if (s.body.length !== 32) headerError("X25519 stanza body is not 32 bytes");
  return share;
}

/**
 * Tries to unwrap the file key from an X25519 stanza; null if it is not addressed to this identity.
 *
 * @throws AgeError ERR_AGE_HEADER for a malformed stanza or an all-zero shared secret.
 */
function unwrapX25519(
  backend: Backend,
  s: Stanza,
  secretKey: Uint8Array,
  publicKey: Uint8Array,
): Uint8Array | null {
  const share = checkX25519Stanza(s);
  const shared = backend.x25519(secretKey, share);
  if (isAllZero(shared)) headerError("X25519 stanza share is a low-order point");
  const wrapKey = backend.hkdf(shared, concatBytes([share, publicKey]), INFO, 32);
  return backend.open(wrapKey, ZERO_NONCE, s.body);
}

/** An `age1...` recipient. */
class X25519Recipient implements Recipient {
  readonly type = TYPE;
  constructor(readonly publicKey: Uint8Array) {}
  wrap(backend: Backend, fileKey: Uint8Array): Stanza {
    return wrapX25519(backend, fileKey, this.publicKey);
  }
}

/** An `AGE-SECRET-KEY-1...` identity. Its public key costs one multiplication, made on first use. */
class X25519Identity implements KeyIdentity {
  readonly type = TYPE;
  private pub: Uint8Array | undefined;
  constructor(private readonly secretKey: Uint8Array) {}

  publicKey(backend: Backend): Uint8Array {
    this.pub ??= backend.x25519(this.secretKey);
    return this.pub;
  }

  unwrap(backend: Backend, s: Stanza): Uint8Array | null {
    return unwrapX25519(backend, s, this.secretKey, this.publicKey(backend));
  }

  async toRecipient(): Promise<string> {
    return encodeBech32(x25519Keys.recipientPrefix, this.publicKey(await loadBackend()));
  }
}

export const x25519Rule: StanzaRule = {
  type: TYPE,
  check: (s) => {
    checkX25519Stanza(s);
  },
};

export const x25519Keys: KeyEncoding = {
  recipientPrefix: "age",
  identityPrefix: "age-secret-key-",
  name: "X25519",
  recipientBytes: 32,
  identityBytes: 32,
  recipient: (bytes) => new X25519Recipient(bytes),
  identity: (bytes) => new X25519Identity(bytes),
};
