// One input sniffer for every caller that must know the format before reading further (random
// access, inspect, the CLI's passphrase prompt): binary age, ASCII armor, or not age at all.
import { ARMOR_BEGIN, ArmorDecoder, isSpace, looksArmored } from "./armor.js";

/** What the first bytes of an input are; `undecided` while they are a prefix of both possibilities. */
type InputKind = "binary" | "armored" | "not-age" | "undecided";

function prefixOf(data: Uint8Array, from: number, text: string): boolean | null {
  const n = Math.min(data.length - from, text.length);
  for (let i = 0; i < n; i++) if (data[from + i] !== text.charCodeAt(i)) return false;
  return n === text.length ? true : null;
}

/**
 * Classifies the start of an input: `binary` when it begins with age's magic, `armored` when its first
 * non-whitespace bytes are the armor BEGIN line, `not-age` otherwise; `undecided` while more bytes are
 * needed (an empty input is undecided).
 */
export function sniffInput(head: Uint8Array): InputKind {
  // looksArmored holds the magic-prefix rule: false = binary age, null = still a prefix of the magic.
  const binary = looksArmored(head);
  if (binary === false) return "binary";
  let i = 0;
  while (i < head.length && isSpace(head[i] as number)) i++;
  const armored = prefixOf(head, i, ARMOR_BEGIN);
  if (armored === true) return "armored";
  if (binary === null || armored === null) return "undecided";
  return "not-age";
}

const SCRYPT_START = "age-encryption.org/v1\n-> scrypt ";

/**
 * Whether the first bytes of an age file (binary or armored, possibly cut anywhere) show a
 * passphrase (scrypt) stanza, so a command knows to ask for a passphrase when no key was given.
 * Only a hint: decryption parses and authenticates the real header.
 */
export function looksPassphraseEncrypted(head: Uint8Array): boolean {
  const kind = sniffInput(head);
  let bin = head;
  if (kind === "armored") {
    try {
      bin = new ArmorDecoder().push(head);
    } catch {
      return false;
    }
  } else if (kind !== "binary") return false;
  return prefixOf(bin, 0, SCRYPT_START) === true;
}
