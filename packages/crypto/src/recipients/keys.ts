import { bech32 } from "@scure/base";
import { getBackend } from "../backend/select.js";
import { AgeError } from "../errors.js";
import { loadHybrid } from "./hybrid.js";

// Bech32 human-readable parts (c2sp.org/age, native recipient types), compared lower-case.
const HRP_X25519_RECIPIENT = "age";
const HRP_X25519_IDENTITY = "age-secret-key-";
const HRP_PQ_RECIPIENT = "age1pq";
const HRP_PQ_IDENTITY = "age-secret-key-pq-";
/** MLKEM768-X25519 encapsulation key: ML-KEM-768 (1184 B) ‖ X25519 (32 B). */
export const PQ_PUBLIC_KEY_SIZE = 1216;

/** A decoded recipient. */
export type RecipientKey =
  | { kind: "x25519"; publicKey: Uint8Array }
  | { kind: "mlkem768x25519"; publicKey: Uint8Array };

/** A decoded identity (the 32-byte secret or seed). */
export type IdentityKey =
  | { kind: "x25519"; secretKey: Uint8Array; publicKey: Uint8Array }
  | { kind: "mlkem768x25519"; seed: Uint8Array };

function keyError(what: string, hint: string): never {
  throw new AgeError("ERR_AGE_KEY", `${what}; ${hint}`);
}

function decodeBech32(text: string): { prefix: string; bytes: Uint8Array } | null {
  // Bech32 is all upper or all lower case; the checksum is over the lower-case form (BIP 173).
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) return null;
  try {
    // `false` lifts BIP 173's 90-character limit, as c2sp.org/age requires.
    const { prefix, words } = bech32.decode(text as `${string}1${string}`, false);
    return { prefix, bytes: bech32.fromWords(words) };
  } catch {
    return null;
  }
}

function encodeBech32(prefix: string, bytes: Uint8Array): string {
  return bech32.encode(prefix, bech32.toWords(bytes), false);
}

/**
 * Decodes an `age1...` (X25519) or `age1pq1...` (mlkem768x25519) recipient.
 *
 * @throws AgeError ERR_AGE_KEY if the string is not a valid recipient.
 */
export function decodeRecipient(text: string): RecipientKey {
  const hint = "expected an age1... or age1pq1... recipient";
  if (typeof text !== "string") keyError("recipient is not a string", hint);
  if (text.startsWith("ssh-")) keyError("SSH recipients are not supported", "use an age1... recipient");
  if (text.toUpperCase().startsWith("AGE-SECRET-KEY-")) {
    keyError(
      "this looks like an identity (secret key), not a recipient",
      "pass the public age1... recipient instead",
    );
  }
  const d = decodeBech32(text);
  if (!d) keyError("recipient is not valid Bech32", hint);
  if (d.prefix === HRP_X25519_RECIPIENT) {
    if (d.bytes.length !== 32) keyError("X25519 recipient has the wrong length", hint);
    return { kind: "x25519", publicKey: d.bytes };
  }
  if (d.prefix === HRP_PQ_RECIPIENT) {
    if (d.bytes.length !== PQ_PUBLIC_KEY_SIZE) keyError("post-quantum recipient has the wrong length", hint);
    return { kind: "mlkem768x25519", publicKey: d.bytes };
  }
  if (d.prefix.startsWith("age1")) {
    keyError("plugin recipients are not supported", "use an X25519 or mlkem768x25519 recipient");
  }
  return keyError("unknown recipient type", hint);
}

/**
 * Decodes an `AGE-SECRET-KEY-1...` or `AGE-SECRET-KEY-PQ-1...` identity.
 *
 * @throws AgeError ERR_AGE_KEY if the string is not a valid identity.
 */
export function decodeIdentity(text: string): IdentityKey {
  const hint = "expected an AGE-SECRET-KEY-1... or AGE-SECRET-KEY-PQ-1... identity";
  if (typeof text !== "string") keyError("identity is not a string", hint);
  const d = decodeBech32(text);
  if (!d) keyError("identity is not valid Bech32", hint);
  if (d.prefix === HRP_X25519_IDENTITY) {
    if (d.bytes.length !== 32) keyError("X25519 identity has the wrong length", hint);
    return { kind: "x25519", secretKey: d.bytes, publicKey: getBackend().x25519(d.bytes) };
  }
  if (d.prefix === HRP_PQ_IDENTITY) {
    if (d.bytes.length !== 32) keyError("post-quantum identity has the wrong length", hint);
    return { kind: "mlkem768x25519", seed: d.bytes };
  }
  if (d.prefix.startsWith("age-plugin-")) {
    keyError("plugin identities are not supported", "use an X25519 or mlkem768x25519 identity");
  }
  if (d.prefix === HRP_X25519_RECIPIENT || d.prefix === HRP_PQ_RECIPIENT) {
    keyError("this is a recipient (public key), not an identity", "pass the AGE-SECRET-KEY-... identity");
  }
  return keyError("unknown identity type", hint);
}

/** Encodes a 32-byte X25519 secret as an identity string. */
export function encodeX25519Identity(secretKey: Uint8Array): string {
  return encodeBech32(HRP_X25519_IDENTITY, secretKey).toUpperCase();
}

/** Encodes a 32-byte mlkem768x25519 seed as an identity string. */
export function encodeHybridIdentity(seed: Uint8Array): string {
  return encodeBech32(HRP_PQ_IDENTITY, seed).toUpperCase();
}

/** Encodes an X25519 public key as an `age1...` recipient. */
export function encodeX25519Recipient(publicKey: Uint8Array): string {
  return encodeBech32(HRP_X25519_RECIPIENT, publicKey);
}

/** Encodes a 1216-byte MLKEM768-X25519 public key as an `age1pq1...` recipient. */
export function encodeHybridRecipient(publicKey: Uint8Array): string {
  return encodeBech32(HRP_PQ_RECIPIENT, publicKey);
}

/**
 * Generates a new X25519 identity (`AGE-SECRET-KEY-1...`) from the CSPRNG.
 *
 * @example
 * ```ts
 * const identity = await generateIdentity();
 * const recipient = await identityToRecipient(identity); // "age1..."
 * ```
 */
export async function generateIdentity(): Promise<string> {
  return encodeX25519Identity(getBackend().randomBytes(32));
}

/** Generates a new hybrid post-quantum identity (`AGE-SECRET-KEY-PQ-1...`): 32 CSPRNG bytes. */
export async function generateHybridIdentity(): Promise<string> {
  return encodeHybridIdentity(getBackend().randomBytes(32));
}

/**
 * Returns the recipient (`age1...` or `age1pq1...`) of an identity.
 *
 * @throws AgeError ERR_AGE_KEY if the identity does not parse.
 */
export async function identityToRecipient(identity: string): Promise<string> {
  const key = decodeIdentity(identity);
  if (key.kind === "x25519") return encodeX25519Recipient(key.publicKey);
  return encodeHybridRecipient((await loadHybrid()).getPublicKey(key.seed));
}

function parseKeyFile(text: string, what: string, check: (s: string) => unknown): string[] {
  if (typeof text !== "string") {
    throw new TypeError(`${what} file: expected a string, got ${typeof text}`);
  }
  const out: string[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, "").trim();
    if (line === "" || line.startsWith("#")) continue;
    try {
      check(line);
    } catch (err) {
      if (err instanceof AgeError) {
        throw new AgeError("ERR_AGE_KEY", `${what} file line ${i + 1}: ${err.message}`, { cause: err });
      }
      throw err;
    }
    out.push(line);
  }
  if (out.length === 0) {
    throw new AgeError("ERR_AGE_KEY", `${what} file contains no ${what}s; add at least one`);
  }
  return out;
}

/**
 * Parses an identity file: one identity per line; blank lines and `#` comments are skipped.
 *
 * @throws AgeError ERR_AGE_KEY naming the first bad line, or when there is no identity.
 */
export function parseIdentities(text: string): string[] {
  if (typeof text === "string") refuseUnsupportedIdentityFile(text);
  return parseKeyFile(text, "identity", decodeIdentity);
}

const SUPPORTED = "dms reads age identities (AGE-SECRET-KEY-1..., AGE-SECRET-KEY-PQ-1...)";

// Files age itself accepts with -i that this library does not: say what they are, not "bad Bech32".
function refuseUnsupportedIdentityFile(text: string): void {
  const start = text.trimStart();
  if (start.startsWith("age-encryption.org/") || start.startsWith("-----BEGIN AGE ENCRYPTED FILE-----")) {
    throw new AgeError(
      "ERR_AGE_KEY_UNSUPPORTED",
      `this identity file is itself age-encrypted (passphrase-protected), which is not supported; ${SUPPORTED}: decrypt it first with dms decrypt -o key.txt FILE`,
    );
  }
  if (/-----BEGIN (OPENSSH|RSA|EC|DSA) PRIVATE KEY-----/.test(text) || /^ssh-(ed25519|rsa) /m.test(text)) {
    throw new AgeError(
      "ERR_AGE_KEY_UNSUPPORTED",
      `this is an SSH key, which is not supported; ${SUPPORTED}; make one with dms keygen`,
    );
  }
}

/**
 * Parses a recipients file: one recipient per line; blank lines and `#` comments are skipped.
 *
 * @throws AgeError ERR_AGE_KEY naming the first bad line, or when there is no recipient.
 */
export function parseRecipients(text: string): string[] {
  if (typeof text === "string" && /^\s*ssh-(ed25519|rsa) /m.test(text)) {
    throw new AgeError(
      "ERR_AGE_KEY_UNSUPPORTED",
      "SSH recipients (ssh-ed25519, ssh-rsa) are not supported; use an age recipient (age1...) from dms keygen",
    );
  }
  return parseKeyFile(text, "recipient", decodeRecipient);
}
