// What every entry exports that needs no Node: errors, keys, one-shot encrypt / decrypt, sizes.
// The core entry (`@dms/crypto/core`, and through it the index) and the portable entry both
// re-export this list, so it is kept in one place; neither may take the other's (core reaches
// node:fs, portable installs the portable backend).
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
