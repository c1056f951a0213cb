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
import * as portable from "@dms/crypto/portable";

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

// The portable entry's random access and inspect, as a browser app calls them.
export async function tail(file: Blob, key: string): Promise<[Uint8Array, number]> {
  const f = await portable.openEncrypted(portable.blobRangeSource(file), {
    identities: [key],
    signal: undefined,
  });
  const info: portable.InspectResult = await portable.inspect(portable.blobRangeSource(file));
  return [await f.read(Math.max(0, f.size - 16), 16), info.headerBytes];
}
