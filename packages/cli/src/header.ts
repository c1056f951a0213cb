// Only a hint for the prompt: the library parses and authenticates the real header.
const ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";

/**
 * Whether the first bytes of an age file (binary or armored) show a passphrase (scrypt) stanza, so
 * the command knows to ask for a passphrase when no key was given.
 */
export function looksPassphraseEncrypted(head: Uint8Array): boolean {
  let text = Buffer.from(head).toString("latin1");
  const trimmed = text.replace(/^\s+/, "");
  if (trimmed.startsWith(ARMOR_BEGIN)) {
    const body = trimmed.slice(ARMOR_BEGIN.length).split("-----END")[0] ?? "";
    const b64 = body.replace(/\s+/g, "");
    // Decode whole 4-character groups only; the rest may not have been read yet.
    text = Buffer.from(b64.slice(0, b64.length - (b64.length % 4)), "base64").toString("latin1");
  }
  return /^age-encryption\.org\/v1\n-> scrypt /.test(text);
}
