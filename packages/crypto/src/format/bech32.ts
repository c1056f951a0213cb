// Bech32 as age writes keys (BIP 173 without its 90-character limit, which c2sp.org/age lifts).
import { bech32 } from "@scure/base";

/** Decodes all-lower or all-upper case Bech32; null when it is not valid. */
export function decodeBech32(text: string): { prefix: string; bytes: Uint8Array } | null {
  // Bech32 is all upper or all lower case; the checksum is over the lower-case form (BIP 173).
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) return null;
  try {
    const { prefix, words } = bech32.decode(text as `${string}1${string}`, false);
    return { prefix, bytes: bech32.fromWords(words) };
  } catch {
    return null;
  }
}

/** Encodes bytes under a human-readable prefix, lower case. */
export function encodeBech32(prefix: string, bytes: Uint8Array): string {
  return bech32.encode(prefix, bech32.toWords(bytes), false);
}
