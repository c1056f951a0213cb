// The primitives every layer above uses, in a file of their own so the backends and the selector
// import the interface without importing each other.
/** Names of the two interchangeable primitive sets. */
export type BackendName = "native" | "portable";

/**
 * The primitives age needs. Both implementations produce identical bytes; the native one
 * uses `node:crypto` (OpenSSL) and exists only on Node, the portable one is pure JavaScript.
 */
export interface Backend {
  readonly name: BackendName;
  /** ChaCha20-Poly1305 (RFC 7539) with empty AAD; returns ciphertext ‖ 16-byte tag. */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** Like {@link Backend.seal} but returns ciphertext and tag separately, sparing a copy. */
  sealParts(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): [Uint8Array, Uint8Array];
  /** Inverse of {@link Backend.seal}; returns null when authentication fails. */
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Uint8Array | null;
  /** HKDF-SHA-256 (RFC 5869), extract then expand. */
  hkdf(ikm: Uint8Array, salt: Uint8Array, info: string, length: number): Uint8Array;
  /** HMAC-SHA-256. */
  hmac(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** scrypt (RFC 7914) with N = 2^logN, r = 8, p = 1, dkLen = 32. */
  scrypt(passphrase: Uint8Array, salt: Uint8Array, logN: number): Promise<Uint8Array>;
  /** CSPRNG output. */
  randomBytes(length: number): Uint8Array;
  /**
   * X25519 (RFC 7748): `scalar` times `point`, or times the base point when `point` is omitted.
   * A low-order point gives 32 zero bytes (callers reject those).
   */
  x25519(scalar: Uint8Array, point?: Uint8Array): Uint8Array;
}
