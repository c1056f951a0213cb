// Pure JavaScript primitives: nothing in this module's import graph touches node: modules,
// so it runs unchanged in browsers, Deno and Bun.
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { scryptMaxmem } from "../format/limits.js";
import { getNacl } from "./nacl.js";
import type { Backend } from "./types.js";

const utf8 = new TextEncoder();

/** The pure JavaScript backend (noble ciphers and hashes). */
export const portableBackend: Backend = {
  name: "portable",
  seal(key, nonce, plaintext) {
    return chacha20poly1305(key, nonce).encrypt(plaintext);
  },
  sealParts(key, nonce, plaintext) {
    const sealed = chacha20poly1305(key, nonce).encrypt(plaintext);
    return [sealed.subarray(0, plaintext.length), sealed.subarray(plaintext.length)];
  },
  open(key, nonce, sealed) {
    if (sealed.length < 16) return null;
    try {
      return chacha20poly1305(key, nonce).decrypt(sealed);
    } catch {
      return null;
    }
  },
  hkdf(ikm, salt, info, length) {
    return hkdf(sha256, ikm, salt, utf8.encode(info), length);
  },
  hmac(key, data) {
    return hmac(sha256, key, data);
  },
  async scrypt(passphrase, salt, logN) {
    return scryptAsync(passphrase, salt, {
      N: 2 ** logN,
      r: 8,
      p: 1,
      dkLen: 32,
      maxmem: scryptMaxmem(logN),
    });
  },
  randomBytes(length) {
    return randomBytes(length);
  },
  x25519(scalar, point) {
    const nacl = getNacl();
    return point ? nacl.scalarMult(scalar, point) : nacl.scalarMult.base(scalar);
  },
};
