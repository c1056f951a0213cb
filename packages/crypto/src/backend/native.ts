// node:crypto is reached through process.getBuiltinModule at call time rather than a static
// import, so the shared modules (and the portable backend) stay loadable outside Node.
import type * as NodeCrypto from "node:crypto";
import { AgeError } from "../errors.js";
import { scryptMaxmem } from "../format/limits.js";
import { madeGarbage } from "./pace.js";
import type { Backend } from "./types.js";

type GetBuiltin = (id: string) => unknown;

let crypto: typeof NodeCrypto | null | undefined;

function load(): typeof NodeCrypto | null {
  if (crypto !== undefined) return crypto;
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process;
  const mod = proc?.getBuiltinModule?.("node:crypto") as typeof NodeCrypto | undefined;
  crypto = mod && typeof mod.createCipheriv === "function" ? mod : null;
  return crypto;
}

const AEAD = "chacha20-poly1305";
// RFC 8410 DER prefixes that wrap a raw 32-byte X25519 key, the only form node:crypto imports.
const X25519_PKCS8 = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);
const X25519_SPKI = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00]);

function withPrefix(prefix: Uint8Array, key: Uint8Array): Buffer {
  const der = Buffer.allocUnsafe(prefix.length + key.length);
  der.set(prefix, 0);
  der.set(key, prefix.length);
  return der;
}

function make(c: typeof NodeCrypto): Backend {
  // Importing raw key bytes on every createCipheriv call costs ~10% at 64 KiB per chunk; keys
  // are never mutated after derivation, so the KeyObject can be cached per key array.
  const keyObjects = new WeakMap<Uint8Array, NodeCrypto.KeyObject>();
  const keyOf = (key: Uint8Array): NodeCrypto.KeyObject => {
    let k = keyObjects.get(key);
    if (!k) {
      k = c.createSecretKey(key);
      keyObjects.set(key, k);
    }
    return k;
  };
  const sealParts = (key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): [Uint8Array, Uint8Array] => {
    const cipher = c.createCipheriv(AEAD, keyOf(key), nonce, { authTagLength: 16 });
    // update() on a stream cipher returns exactly plaintext.length bytes.
    const ct = cipher.update(plaintext);
    cipher.final();
    madeGarbage(ct.length);
    return [ct, cipher.getAuthTag()];
  };
  return {
    name: "native",
    seal(key, nonce, plaintext) {
      const [ct, tag] = sealParts(key, nonce, plaintext);
      const out = Buffer.allocUnsafe(ct.length + 16);
      madeGarbage(out.length);
      out.set(ct, 0);
      out.set(tag, ct.length);
      return out;
    },
    sealParts,
    open(key, nonce, sealed) {
      if (sealed.length < 16) return null;
      const n = sealed.length - 16;
      const decipher = c.createDecipheriv(AEAD, keyOf(key), nonce, { authTagLength: 16 });
      decipher.setAuthTag(sealed.subarray(n));
      const pt = decipher.update(sealed.subarray(0, n));
      madeGarbage(pt.length);
      try {
        decipher.final();
      } catch {
        return null;
      }
      return pt;
    },
    hkdf(ikm, salt, info, length) {
      return new Uint8Array(c.hkdfSync("sha256", ikm, salt, info, length));
    },
    hmac(key, data) {
      return c.createHmac("sha256", key).update(data).digest();
    },
    scrypt(passphrase, salt, logN) {
      return new Promise((resolve, reject) => {
        c.scrypt(
          passphrase,
          salt,
          32,
          { N: 2 ** logN, r: 8, p: 1, maxmem: scryptMaxmem(logN) },
          (err, key) => (err ? reject(err) : resolve(key)),
        );
      });
    },
    randomBytes(length) {
      return c.randomBytes(length);
    },
    // OpenSSL's X25519: ~1 ms, where tweetnacl's first call costs ~25 ms of cold JavaScript, paid
    // by every short-lived process (and most of a random-access open; bench/dirs.mjs).
    x25519(scalar, point) {
      const privateKey = c.createPrivateKey({
        key: withPrefix(X25519_PKCS8, scalar),
        format: "der",
        type: "pkcs8",
      });
      if (!point) {
        const spki = c.createPublicKey(privateKey).export({ format: "der", type: "spki" });
        return new Uint8Array(spki.subarray(X25519_SPKI.length));
      }
      const publicKey = c.createPublicKey({
        key: withPrefix(X25519_SPKI, point),
        format: "der",
        type: "spki",
      });
      try {
        return new Uint8Array(c.diffieHellman({ privateKey, publicKey }));
      } catch {
        // OpenSSL refuses an all-zero result (a low-order point); report it as the zeros it is.
        return new Uint8Array(32);
      }
    },
  };
}

let instance: Backend | undefined;

/** Lazily built native backend. */
export const nativeBackend = {
  available(): boolean {
    return load() !== null;
  },
  get(): Backend {
    if (instance) return instance;
    const c = load();
    if (!c) {
      throw new AgeError(
        "ERR_AGE_USAGE",
        'backend "native" needs node:crypto, which is not available here; use backend "portable"',
      );
    }
    instance = make(c);
    return instance;
  },
};
