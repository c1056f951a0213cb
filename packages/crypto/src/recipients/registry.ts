// The recipient types this library knows: the only list of them. Adding a type is adding its file
// and one entry in each table below.
import type { Stanza } from "../format/header.js";
import { hybridKeys, hybridRule } from "./hybrid.js";
import { scryptRule } from "./scrypt.js";
import type { KeyEncoding, StanzaRule } from "./types.js";
import { x25519Keys, x25519Rule } from "./x25519.js";

/** Key types written as Bech32 strings. */
export const KEY_TYPES: readonly KeyEncoding[] = [hybridKeys, x25519Keys];

const RULES = new Map<string, StanzaRule>([x25519Rule, hybridRule, scryptRule].map((r) => [r.type, r]));

// Types of other age implementations whose arguments are noise to a reader (ephemeral shares,
// recipient tags that identify recipients): inspect shows only their type.
const FOREIGN_TYPES = new Set(["p256tag", "mlkem768p256tag", "ssh-ed25519", "ssh-rsa"]);

/**
 * Checks every stanza of a known type against its rules, before any key is tried. Unknown types
 * are ignored, as the spec requires.
 *
 * @throws AgeError ERR_AGE_HEADER.
 */
export function checkStanzas(stanzas: readonly Stanza[], maxWorkFactor: number): void {
  for (const s of stanzas) RULES.get(s.type)?.check(s, { stanzas: stanzas.length, maxWorkFactor });
}

/** What inspect shows of a stanza: arguments only for unknown types, and the scrypt work factor. */
export function describeStanza(s: Stanza): { type: string; args: string[]; workFactor?: number } {
  const rule = RULES.get(s.type);
  if (!rule && !FOREIGN_TYPES.has(s.type)) return { type: s.type, args: [...s.args] };
  return { type: s.type, args: [], ...rule?.describe?.(s) };
}
