/** scrypt logN used when encrypting with a passphrase unless told otherwise (Go age and typage use 18). */
export const DEFAULT_WORK_FACTOR = 18;
/** Default cap on the scrypt logN accepted from an untrusted header when decrypting. */
export const DEFAULT_MAX_WORK_FACTOR = 20;
/** Absolute cap: logN 22 is about 4 GiB of memory and 15 s; 23 is always refused. */
export const HARD_MAX_WORK_FACTOR = 22;
/** Largest header accepted: a hybrid post-quantum stanza is about 1.6 KB, so this allows ~600 of them. */
export const MAX_HEADER_BYTES = 1024 * 1024;
/**
 * Largest number of stanzas in one header, the same when encrypting and decrypting, so whatever this
 * library encrypts it also decrypts. age 1.1.1 has no count cap (a 1101-recipient file decrypts); 4096
 * X25519 stanzas are about 400 KB, well inside MAX_HEADER_BYTES.
 */
export const MAX_STANZAS = 4096;
/** Largest number of arguments in one stanza. */
export const MAX_STANZA_ARGS = 64;

/** Bytes scrypt needs for N = 2^logN, r = 8 (128·N·r), plus headroom for the implementation. */
export function scryptMaxmem(logN: number): number {
  return 128 * 8 * 2 ** logN + 16 * 1024 * 1024;
}
