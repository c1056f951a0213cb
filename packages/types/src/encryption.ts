import { z } from "zod";

export { EncryptionType } from "./constants.js";

/** Schema of {@link EncryptionType} on the wire (a Go `int`). */
export const EncryptionTypeSchema = z.literal([0, 1]);

/**
 * Encrypts a whole buffer. Upstream marks this interface DRAFT and has no implementation;
 * `@dms/crypto` implements it. Implementations reject with their own package's error class.
 */
export interface Encryptor {
  encrypt(data: Uint8Array): Promise<Uint8Array>;
}

/** Decrypts a whole buffer (see {@link Encryptor}). */
export interface Decryptor {
  decrypt(data: Uint8Array): Promise<Uint8Array>;
}

/** Streaming counterpart of {@link Encryptor}: each call returns a fresh transform. */
export interface StreamEncryptor {
  encryptStream(): TransformStream<Uint8Array, Uint8Array>;
}

/** Streaming counterpart of {@link Decryptor}: each call returns a fresh transform. */
export interface StreamDecryptor {
  decryptStream(): TransformStream<Uint8Array, Uint8Array>;
}
