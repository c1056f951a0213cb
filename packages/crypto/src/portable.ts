// Entry point for browsers, Deno and Bun: everything except Node streams, files and directories.
// Its import graph has no runtime `node:` import (checked by test/portable.test.ts); the native
// backend is still picked automatically where `node:crypto` exists.
import { canRequireNacl, loadNacl } from "./backend/nacl.js";

// Browsers have no `require`: load the portable backend's X25519 before anything can use it.
if (!canRequireNacl()) await loadNacl();

export { AgeDecryptor, AgeEncryptor } from "./adapters/classes.js";
export { createDecryptStream, createEncryptStream } from "./adapters/web.js";
export type { BackendName } from "./backend/types.js";
export { AgeError, type AgeErrorCode, type AgeErrorDetails, isAgeError } from "./errors.js";
export { looksPassphraseEncrypted } from "./format/sniff.js";
export {
  generateHybridIdentity,
  generateIdentity,
  identityToRecipient,
  parseIdentities,
  parseRecipients,
} from "./recipients/keys.js";
export { decrypt } from "./session/decrypt.js";
export { encrypt } from "./session/encrypt.js";
export type { CommonOptions, DecryptOptions, EncryptOptions, Progress } from "./session/options.js";
export { ciphertextSize, plaintextSize } from "./stream/size.js";
