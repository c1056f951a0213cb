import type { ml_kem768_x25519 as HybridKem } from "@noble/post-quantum/hybrid.js";
import type { Backend } from "../backend/types.js";
import { headerError } from "../errors.js";
import { decodeBase64, encodeBase64 } from "../format/base64.js";
import { encodeBech32 } from "../format/bech32.js";
import type { Stanza } from "../format/header.js";
import type { Kem } from "./hpke.js";
import type { KeyEncoding, KeyIdentity, Recipient, StanzaRule } from "./types.js";

// c2sp.org/age, mlkem768x25519 recipient stanza; KEM id from draft-ietf-hpke-pq.
const INFO = new TextEncoder().encode("age-encryption.org/mlkem768x25519");
const ENC_SIZE = 1120;

// ML-KEM and the HPKE schedule (with the noble hashes it uses) are loaded on first use: they add
// ~10 MiB of resident memory and ~30 ms of start-up to every process, and only post-quantum keys
// need them.
let loaded: { kem: typeof HybridKem; hpke: typeof import("./hpke.js") } | undefined;

/** Loads the hybrid KEM; the async callers await this before calling the functions below. */
async function loadHybrid(): Promise<typeof HybridKem> {
  if (!loaded) {
    const pq = await import("@noble/post-quantum/hybrid.js");
    const hpke = await import("./hpke.js");
    loaded ??= { kem: pq.ml_kem768_x25519, hpke };
  }
  return loaded.kem;
}

function pq(): NonNullable<typeof loaded> {
  if (!loaded) throw new Error("internal: loadHybrid() was not awaited before a post-quantum operation");
  return loaded;
}

// noble's ml_kem768_x25519 is X-Wing (label "\.//^\", SHA3-256 combiner, 32-byte seed keys),
// which is the MLKEM768-X25519 KEM the age spec names.
const XWING: Kem = {
  id: 0x647a,
  encapsulate: (pk) => pq().kem.encapsulate(pk),
  decapsulate: (ct, sk) => pq().kem.decapsulate(ct, sk),
};

/** The stanza type string. */
const PQ_TYPE = "mlkem768x25519";

/** Wraps the file key for a 1216-byte MLKEM768-X25519 recipient key. */
function wrapHybrid(backend: Backend, fileKey: Uint8Array, publicKey: Uint8Array): Stanza {
  const { enc, ct } = pq().hpke.hpkeSealBase(backend, XWING, publicKey, INFO, fileKey);
  return { type: PQ_TYPE, args: [encodeBase64(enc)], body: ct };
}

/**
 * Checks an mlkem768x25519 stanza: exactly 2 arguments, a canonical 1120-byte `enc`, a 32-byte body.
 *
 * @throws AgeError ERR_AGE_HEADER.
 */
function checkHybridStanza(s: Stanza): Uint8Array {
  if (s.args.length !== 1) headerError("mlkem768x25519 stanza must have exactly 2 arguments");
  const enc = decodeBase64(s.args[0] as string);
  if (enc === null || enc.length !== ENC_SIZE)
    headerError("mlkem768x25519 stanza enc is not 1120 bytes of base64");
  if (s.body.length !== 32) headerError("mlkem768x25519 stanza body is not 32 bytes");
  return enc;
}

/** Tries to unwrap the file key with a 32-byte identity seed; null if not addressed to it. */
function unwrapHybrid(backend: Backend, s: Stanza, seed: Uint8Array): Uint8Array | null {
  const enc = checkHybridStanza(s);
  try {
    return pq().hpke.hpkeOpenBase(backend, XWING, enc, seed, INFO, s.body);
  } catch {
    // The KEM refuses an X25519 share that yields the all-zero secret (identity or low-order point).
    return headerError("mlkem768x25519 stanza enc is invalid (low-order X25519 share)");
  }
}

const prepare = async (): Promise<void> => {
  await loadHybrid();
};

/** An `age1pq1...` recipient. */
class HybridRecipient implements Recipient {
  readonly type = PQ_TYPE;
  readonly prepare = prepare;
  constructor(readonly publicKey: Uint8Array) {}
  wrap(backend: Backend, fileKey: Uint8Array): Stanza {
    return wrapHybrid(backend, fileKey, this.publicKey);
  }
}

/** An `AGE-SECRET-KEY-PQ-1...` identity (a 32-byte seed). */
class HybridIdentity implements KeyIdentity {
  readonly type = PQ_TYPE;
  readonly prepare = prepare;
  constructor(private readonly seed: Uint8Array) {}
  unwrap(backend: Backend, s: Stanza): Uint8Array | null {
    return unwrapHybrid(backend, s, this.seed);
  }
  async toRecipient(): Promise<string> {
    return encodeBech32(hybridKeys.recipientPrefix, (await loadHybrid()).getPublicKey(this.seed));
  }
}

export const hybridRule: StanzaRule = {
  type: PQ_TYPE,
  check: (s) => {
    checkHybridStanza(s);
  },
};

/** MLKEM768-X25519 encapsulation key: ML-KEM-768 (1184 B) ‖ X25519 (32 B). */
const PQ_PUBLIC_KEY_SIZE = 1216;

export const hybridKeys: KeyEncoding = {
  recipientPrefix: "age1pq",
  identityPrefix: "age-secret-key-pq-",
  name: "post-quantum",
  recipientBytes: PQ_PUBLIC_KEY_SIZE,
  identityBytes: 32,
  recipient: (bytes) => new HybridRecipient(bytes),
  identity: (bytes) => new HybridIdentity(bytes),
};
