// Entry point for browsers, Deno and Bun: everything except Node streams, files and directories.
// Its import graph has no runtime `node:` import (checked by test/portable.test.ts); the native
// backend is still picked automatically where `node:crypto` exists.
import { canRequireNacl, loadNacl } from "./nacl.js";

// Browsers have no `require`: load the portable backend's X25519 before anything can use it.
if (!canRequireNacl()) await loadNacl();

export type { BackendName } from "./backend.js";
export { AgeDecryptor, AgeEncryptor } from "./classes.js";
export { decrypt } from "./decrypt.js";
export { encrypt } from "./encrypt.js";
export { AgeError, type AgeErrorCode, type AgeErrorDetails, isAgeError } from "./errors.js";
export {
  generateHybridIdentity,
  generateIdentity,
  identityToRecipient,
  parseIdentities,
  parseRecipients,
} from "./keys.js";
export type { CommonOptions, DecryptOptions, EncryptOptions, Progress } from "./options.js";
export { ciphertextSize, plaintextSize } from "./size.js";
export { createDecryptStream, createEncryptStream } from "./web.js";
