// Key strings: decoding through the registry's key types, generation, and key files.
import { loadBackend } from "../backend/select.js";
import { AgeError } from "../errors.js";
import { decodeBech32, encodeBech32 } from "../format/bech32.js";
import { hybridKeys } from "./hybrid.js";
import { KEY_TYPES } from "./registry.js";
import type { KeyIdentity, Recipient } from "./types.js";
import { x25519Keys } from "./x25519.js";

function keyError(what: string, hint: string): never {
  throw new AgeError("ERR_AGE_KEY", `${what}; ${hint}`);
}

/** A key of a kind age knows (SSH, plugins) that this library does not implement. */
function unsupported(what: string, hint: string): never {
  throw new AgeError("ERR_AGE_KEY_UNSUPPORTED", `${what} are not supported; ${hint}`);
}

/**
 * Decodes an `age1...` (X25519) or `age1pq1...` (mlkem768x25519) recipient. Cheap: no key
 * arithmetic happens until the recipient is used.
 *
 * @throws AgeError ERR_AGE_KEY if the string is not a valid recipient; ERR_AGE_KEY_UNSUPPORTED for an
 * SSH or plugin recipient.
 */
export function decodeRecipient(text: string): Recipient {
  const hint = "expected an age1... or age1pq1... recipient";
  if (typeof text !== "string") keyError("recipient is not a string", hint);
  if (text.startsWith("ssh-")) unsupported("SSH recipients", "use an age1... recipient from dms keygen");
  if (text.toUpperCase().startsWith("AGE-SECRET-KEY-")) {
    keyError(
      "this looks like an identity (secret key), not a recipient",
      "pass the public age1... recipient instead",
    );
  }
  const d = decodeBech32(text);
  if (!d) keyError("recipient is not valid Bech32", hint);
  const type = KEY_TYPES.find((t) => t.recipientPrefix === d.prefix);
  if (type) {
    if (d.bytes.length !== type.recipientBytes) keyError(`${type.name} recipient has the wrong length`, hint);
    return type.recipient(d.bytes);
  }
  if (d.prefix.startsWith("age1")) {
    unsupported("plugin recipients", "use an X25519 or mlkem768x25519 recipient");
  }
  return keyError("unknown recipient type", hint);
}

/**
 * Decodes an `AGE-SECRET-KEY-1...` or `AGE-SECRET-KEY-PQ-1...` identity. Cheap: the public key is
 * derived once, on first use.
 *
 * @throws AgeError ERR_AGE_KEY if the string is not a valid identity; ERR_AGE_KEY_UNSUPPORTED for a
 * plugin identity.
 */
export function decodeIdentity(text: string): KeyIdentity {
  const hint = "expected an AGE-SECRET-KEY-1... or AGE-SECRET-KEY-PQ-1... identity";
  if (typeof text !== "string") keyError("identity is not a string", hint);
  const d = decodeBech32(text);
  if (!d) keyError("identity is not valid Bech32", hint);
  const type = KEY_TYPES.find((t) => t.identityPrefix === d.prefix);
  if (type) {
    if (d.bytes.length !== type.identityBytes) keyError(`${type.name} identity has the wrong length`, hint);
    return type.identity(d.bytes);
  }
  if (d.prefix.startsWith("age-plugin-")) {
    unsupported("plugin identities", "use an X25519 or mlkem768x25519 identity");
  }
  if (KEY_TYPES.some((t) => t.recipientPrefix === d.prefix)) {
    keyError("this is a recipient (public key), not an identity", "pass the AGE-SECRET-KEY-... identity");
  }
  return keyError("unknown identity type", hint);
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
  return encodeBech32(x25519Keys.identityPrefix, (await loadBackend()).randomBytes(32)).toUpperCase();
}

/** Generates a new hybrid post-quantum identity (`AGE-SECRET-KEY-PQ-1...`): 32 CSPRNG bytes. */
export async function generateHybridIdentity(): Promise<string> {
  return encodeBech32(hybridKeys.identityPrefix, (await loadBackend()).randomBytes(32)).toUpperCase();
}

/**
 * Returns the recipient (`age1...` or `age1pq1...`) of an identity.
 *
 * @throws AgeError ERR_AGE_KEY if the identity does not parse.
 */
export async function identityToRecipient(identity: string): Promise<string> {
  return decodeIdentity(identity).toRecipient();
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
        throw new AgeError(err.code, `${what} file line ${i + 1}: ${err.message}`, { cause: err });
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
 * @throws AgeError ERR_AGE_KEY (or ERR_AGE_KEY_UNSUPPORTED) naming the first bad line, or when there
 * is no identity.
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
 * @throws AgeError ERR_AGE_KEY (or ERR_AGE_KEY_UNSUPPORTED) naming the first bad line, or when there
 * is no recipient.
 */
export function parseRecipients(text: string): string[] {
  return parseKeyFile(text, "recipient", decodeRecipient);
}
