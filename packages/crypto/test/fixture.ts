// Builds age files from parts with a known file key, so tests can break exactly one rule.
import type { Backend } from "../src/backend/select.js";
import { encodeBase64 } from "../src/format/base64.js";
import { encodeStanzas, headerMac, type Stanza, writeHeader } from "../src/format/header.js";
import { decodeRecipient } from "../src/recipients/keys.js";
import { derivePayloadKey } from "../src/stream/chunk.js";
import { ChunkSealer } from "../src/stream/incremental.js";
import { concat, fromLatin1, latin1 } from "./helpers.js";

export const IDENTITY = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
export const RECIPIENT = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";
export const FILE_KEY = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
export const NONCE = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

export function x25519Stanza(b: Backend, fileKey = FILE_KEY): Stanza {
  return decodeRecipient(RECIPIENT).wrap(b, fileKey) as Stanza;
}

export function payload(b: Backend, plain: Uint8Array, fileKey = FILE_KEY, nonce = NONCE): Uint8Array {
  const s = new ChunkSealer(b, derivePayloadKey(b, fileKey, nonce));
  return concat([nonce, ...s.push(plain), ...s.finish()]);
}

/** A complete, valid file. */
export function file(b: Backend, stanzas: Stanza[], plain: Uint8Array, fileKey = FILE_KEY): Uint8Array {
  return concat([writeHeader(b, fileKey, stanzas), payload(b, plain, fileKey)]);
}

/** Header text (as a latin1 string) with a correct MAC for `fileKey`. */
export function headerText(b: Backend, stanzas: Stanza[], fileKey = FILE_KEY): string {
  return latin1(writeHeader(b, fileKey, stanzas));
}

/** Re-MACs arbitrary header text that ends in "---" so only the rule under test is broken. */
export function withMac(b: Backend, upToDashes: string, fileKey = FILE_KEY): string {
  const mac = encodeBase64(headerMac(b, fileKey, fromLatin1(upToDashes)));
  return `${upToDashes} ${mac}\n`;
}

export function stanzasText(stanzas: Stanza[]): string {
  return latin1(encodeStanzas(stanzas));
}
