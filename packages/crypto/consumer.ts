// Type-checked by scripts/pack-check.mjs against the packed package, under exactOptionalPropertyTypes
// and skipLibCheck false: a strict consumer may pass `undefined` for any optional option.
import {
  AgeError,
  decrypt,
  type EncryptDirectoryOptions,
  type EncryptOptions,
  encrypt,
  encryptDirectory,
  generateIdentity,
  identityToRecipient,
} from "@dms/crypto";

export async function roundTrip(maybeArmor?: boolean, signal?: AbortSignal): Promise<Uint8Array> {
  const identity = await generateIdentity();
  const options: EncryptOptions = {
    recipients: [await identityToRecipient(identity)],
    armor: maybeArmor,
    signal,
    onProgress: undefined,
  };
  const ct = await encrypt(new Uint8Array(1), options);
  try {
    return await decrypt(ct, { identities: [identity], signal: undefined });
  } catch (e) {
    if (e instanceof AgeError && e.code === "ERR_AGE_NO_MATCH") return new Uint8Array();
    throw e;
  }
}

export function packOptions(mtime?: Date): EncryptDirectoryOptions {
  return { passphrase: "x", mtime, checkExtractable: undefined, onProgress: undefined };
}

export const pack = encryptDirectory;
