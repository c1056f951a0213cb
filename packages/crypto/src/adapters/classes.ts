import type { Decryptor, Encryptor, StreamDecryptor, StreamEncryptor } from "@dms/types";
import { decrypt } from "../session/decrypt.js";
import { encrypt } from "../session/encrypt.js";
import type { DecryptOptions, EncryptOptions } from "../session/options.js";
import { createDecryptStream, createEncryptStream } from "./web.js";

/**
 * age encryption bound to a fixed set of options, implementing the `@dms/types` encryptor
 * interfaces.
 *
 * @example
 * ```ts
 * const enc = new AgeEncryptor({ recipients: ["age1..."] });
 * const ct = await enc.encrypt(bytes);
 * ```
 */
export class AgeEncryptor implements Encryptor, StreamEncryptor {
  private readonly options: EncryptOptions;

  constructor(options: EncryptOptions) {
    this.options = { ...options };
  }

  /** @throws AgeError ERR_AGE_USAGE, ERR_AGE_KEY, ERR_AGE_ABORTED. */
  encrypt(data: Uint8Array): Promise<Uint8Array> {
    return encrypt(data, this.options);
  }

  /** A fresh Web Streams encrypting transform. */
  encryptStream(): TransformStream<Uint8Array, Uint8Array> {
    return createEncryptStream(this.options);
  }
}

/**
 * age decryption bound to a fixed set of options, implementing the `@dms/types` decryptor
 * interfaces.
 */
export class AgeDecryptor implements Decryptor, StreamDecryptor {
  private readonly options: DecryptOptions;

  constructor(options: DecryptOptions) {
    this.options = { ...options };
  }

  /** @throws AgeError ERR_AGE_HEADER, ERR_AGE_NO_MATCH, ERR_AGE_HMAC, ERR_AGE_PAYLOAD, ERR_AGE_ARMOR, ERR_AGE_KEY, ERR_AGE_USAGE. */
  decrypt(data: Uint8Array): Promise<Uint8Array> {
    return decrypt(data, this.options);
  }

  /** A fresh Web Streams decrypting transform; discard its output if it errors. */
  decryptStream(): TransformStream<Uint8Array, Uint8Array> {
    return createDecryptStream(this.options);
  }
}
