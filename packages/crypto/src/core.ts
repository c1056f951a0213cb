// The keys and the file and pipe engine, without archives, stream adapters or random access: what a
// command that encrypts or decrypts one file needs. It loads about half of the index's modules
// (`@dms/crypto/core`; the index re-exports all of it), which is ~20 ms of a small file's start-up.
export {
  AgeError,
  type AgeErrorCode,
  type AgeErrorDetails,
  type ArchiveErrorCode,
  isAgeError,
} from "./errors.js";
export { looksPassphraseEncrypted } from "./format/sniff.js";
export { decryptFd, encryptFd, encryptToChunks, type FdInput, type FdOutput } from "./fs/fd.js";
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
