import type { Backend } from "../backend/types.js";
import { headerError } from "../errors.js";
import { decodeBase64, encodeBase64 } from "../format/base64.js";
import type { Stanza } from "../format/header.js";
import type { Identity, Recipient, StanzaRule } from "./types.js";

// c2sp.org/age, scrypt recipient stanza: S = label ‖ salt, r = 8, p = 1, dkLen = 32.
const LABEL = "age-encryption.org/v1/scrypt";
/** The stanza type; the spec allows it only alone in a header. */
export const SCRYPT_TYPE = "scrypt";
const ZERO_NONCE = new Uint8Array(12);
const utf8 = new TextEncoder();
// The spec's rule for the work factor: `%x31-39 *DIGIT`.
const WORK_FACTOR = /^[1-9][0-9]*$/;

function saltFor(salt: Uint8Array): Uint8Array {
  const label = utf8.encode(LABEL);
  const out = new Uint8Array(label.length + salt.length);
  out.set(label, 0);
  out.set(salt, label.length);
  return out;
}

/** Wraps the file key under a passphrase with scrypt work factor 2^logN. */
export async function wrapScrypt(
  backend: Backend,
  fileKey: Uint8Array,
  passphrase: string,
  logN: number,
): Promise<Stanza> {
  const salt = backend.randomBytes(16);
  const key = await backend.scrypt(utf8.encode(passphrase), saltFor(salt), logN);
  return {
    type: SCRYPT_TYPE,
    args: [encodeBase64(salt), String(logN)],
    body: backend.seal(key, ZERO_NONCE, fileKey),
  };
}

/**
 * Checks an scrypt stanza's shape and work factor before any scrypt runs: exactly 3 arguments,
 * a canonical 16-byte salt, logN matching `^[1-9][0-9]*$` and at most `maxLogN`, a 32-byte body.
 *
 * @throws AgeError ERR_AGE_HEADER.
 */
function checkScryptStanza(s: Stanza, maxLogN: number): { salt: Uint8Array; logN: number } {
  if (s.args.length !== 2) headerError("scrypt stanza must have exactly 3 arguments");
  const salt = decodeBase64(s.args[0] as string);
  if (salt === null || salt.length !== 16) headerError("scrypt stanza salt is not 16 bytes of base64");
  const wf = s.args[1] as string;
  if (!WORK_FACTOR.test(wf)) headerError("scrypt work factor is not a plain decimal number");
  const logN = Number(wf);
  if (!(logN <= maxLogN)) {
    headerError(
      `scrypt work factor ${wf.length > 4 ? "(huge)" : wf} is over the limit of ${maxLogN}; raise maxWorkFactor only if you trust the file`,
    );
  }
  if (s.body.length !== 32) headerError("scrypt stanza body is not 32 bytes");
  return { salt, logN };
}

/** Tries the passphrase on a checked scrypt stanza; null if it is wrong. */
async function unwrapScrypt(
  backend: Backend,
  s: Stanza,
  passphrase: string,
  maxLogN: number,
): Promise<Uint8Array | null> {
  const { salt, logN } = checkScryptStanza(s, maxLogN);
  const key = await backend.scrypt(utf8.encode(passphrase), saltFor(salt), logN);
  return backend.open(key, ZERO_NONCE, s.body);
}

/** A passphrase as a recipient, with the scrypt work factor 2^logN. */
export class ScryptRecipient implements Recipient {
  readonly type = SCRYPT_TYPE;
  constructor(
    private readonly passphrase: string,
    private readonly logN: number,
  ) {}
  wrap(backend: Backend, fileKey: Uint8Array): Promise<Stanza> {
    return wrapScrypt(backend, fileKey, this.passphrase, this.logN);
  }
}

/** A passphrase as an identity; work factors above `maxLogN` are refused before scrypt runs. */
export class ScryptIdentity implements Identity {
  readonly type = SCRYPT_TYPE;
  constructor(
    private readonly passphrase: string,
    private readonly maxLogN: number,
  ) {}
  unwrap(backend: Backend, s: Stanza): Promise<Uint8Array | null> {
    return unwrapScrypt(backend, s, this.passphrase, this.maxLogN);
  }
}

export const scryptRule: StanzaRule = {
  type: SCRYPT_TYPE,
  check: (s, header) => {
    if (header.stanzas !== 1) headerError("an scrypt stanza must be the only stanza");
    checkScryptStanza(s, header.maxWorkFactor);
  },
  describe: (s) => {
    const logN = s.args[1];
    return logN !== undefined && WORK_FACTOR.test(logN) ? { workFactor: Number(logN) } : {};
  },
};
