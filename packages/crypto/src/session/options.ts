import type { BackendName } from "../backend/types.js";

/** Progress report: plaintext bytes processed so far, and the total when known. */
export interface Progress {
  bytes: number;
  total?: number | undefined;
}

/** Options shared by encryption and decryption. */
export interface CommonOptions {
  /** Primitive set; default native on Node, portable elsewhere. Both produce identical bytes. */
  backend?: BackendName | undefined;
  /** Aborts the operation with ERR_AGE_ABORTED. */
  signal?: AbortSignal | undefined;
  /** Called as plaintext is processed. */
  onProgress?: ((p: Progress) => void) | undefined;
}

/** Encryption options: either `recipients` or `passphrase`. */
export interface EncryptOptions extends CommonOptions {
  /** `age1...` (X25519) or `age1pq1...` (mlkem768x25519) recipients. */
  recipients?: string[] | undefined;
  /** Encrypt with scrypt; mutually exclusive with `recipients`. */
  passphrase?: string | undefined;
  /** scrypt logN when encrypting with a passphrase: 1..22, default 18. */
  workFactor?: number | undefined;
  /** Produce ASCII armor (PEM) instead of binary. */
  armor?: boolean | undefined;
}

/** Decryption options: `identities`, `passphrase`, or both. Armor is detected automatically. */
export interface DecryptOptions extends CommonOptions {
  /** `AGE-SECRET-KEY-1...` or `AGE-SECRET-KEY-PQ-1...` identities. */
  identities?: string[] | undefined;
  /** Passphrase for an scrypt-encrypted file. */
  passphrase?: string | undefined;
  /** Largest scrypt logN accepted from a file: 1..22, default 20. */
  maxWorkFactor?: number | undefined;
}
