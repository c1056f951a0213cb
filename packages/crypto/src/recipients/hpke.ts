// HPKE base mode (RFC 9180 §5.1, §6.1) for the single-shot Seal/Open age needs, with
// KDF HKDF-SHA256 (0x0001) and AEAD ChaCha20Poly1305 (0x0003). Only sequence number 0 is
// ever used, so the AEAD nonce is base_nonce itself.
import { expand, extract } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import type { Backend } from "../backend/types.js";
import { concatBytes } from "../format/bytes.js";

const utf8 = new TextEncoder();

function i2osp2(n: number): Uint8Array {
  return new Uint8Array([(n >> 8) & 255, n & 255]);
}

/** suite_id = "HPKE" ‖ I2OSP(kem_id, 2) ‖ I2OSP(kdf_id, 2) ‖ I2OSP(aead_id, 2). */
function suiteId(kemId: number): Uint8Array {
  return concatBytes([utf8.encode("HPKE"), i2osp2(kemId), i2osp2(0x0001), i2osp2(0x0003)]);
}

function labeledExtract(suite: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array): Uint8Array {
  return extract(sha256, concatBytes([utf8.encode("HPKE-v1"), suite, utf8.encode(label), ikm]), salt);
}

function labeledExpand(suite: Uint8Array, prk: Uint8Array, label: string, info: Uint8Array, length: number) {
  return expand(
    sha256,
    prk,
    concatBytes([i2osp2(length), utf8.encode("HPKE-v1"), suite, utf8.encode(label), info]),
    length,
  );
}

/** KeySchedule(mode_base, shared_secret, info, psk = "", psk_id = "") → AEAD key and base nonce. */
function hpkeKeySchedule(
  kemId: number,
  sharedSecret: Uint8Array,
  info: Uint8Array,
): { key: Uint8Array; nonce: Uint8Array } {
  const suite = suiteId(kemId);
  const empty = new Uint8Array(0);
  const pskIdHash = labeledExtract(suite, empty, "psk_id_hash", empty);
  const infoHash = labeledExtract(suite, empty, "info_hash", info);
  const context = concatBytes([new Uint8Array([0x00]), pskIdHash, infoHash]);
  // RFC 9180 §5.1: secret = LabeledExtract(shared_secret, "secret", psk); the shared secret is the salt.
  const secret = labeledExtract(suite, sharedSecret, "secret", empty);
  return {
    key: labeledExpand(suite, secret, "key", context, 32),
    nonce: labeledExpand(suite, secret, "base_nonce", context, 12),
  };
}

/** A KEM as HPKE uses it. */
export interface Kem {
  id: number;
  encapsulate(publicKey: Uint8Array): { cipherText: Uint8Array; sharedSecret: Uint8Array };
  decapsulate(cipherText: Uint8Array, secretKey: Uint8Array): Uint8Array;
}

/** SealBase(pkR, info, aad = "", pt) → (enc, ct). */
export function hpkeSealBase(
  backend: Backend,
  kem: Kem,
  publicKey: Uint8Array,
  info: Uint8Array,
  plaintext: Uint8Array,
): { enc: Uint8Array; ct: Uint8Array } {
  const { cipherText, sharedSecret } = kem.encapsulate(publicKey);
  const { key, nonce } = hpkeKeySchedule(kem.id, sharedSecret, info);
  return { enc: cipherText, ct: backend.seal(key, nonce, plaintext) };
}

/** OpenBase(enc, skR, info, aad = "", ct) → pt, or null if the AEAD fails. */
export function hpkeOpenBase(
  backend: Backend,
  kem: Kem,
  enc: Uint8Array,
  secretKey: Uint8Array,
  info: Uint8Array,
  ct: Uint8Array,
): Uint8Array | null {
  const sharedSecret = kem.decapsulate(enc, secretKey);
  const { key, nonce } = hpkeKeySchedule(kem.id, sharedSecret, info);
  return backend.open(key, nonce, ct);
}
