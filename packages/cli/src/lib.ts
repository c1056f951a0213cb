// The libraries are loaded on first use so that `dms --help` and usage errors stay instant.
import type * as Crypto from "@dms/crypto";
import type * as Storage from "@dms/storage";
import { DmsError } from "./errors.js";

export type { DecryptOptions, EncryptOptions, FdInput } from "@dms/crypto";
export type { IDType as StorageIDType, StorageVolume, VolumeController } from "@dms/storage";
/** @dms/crypto's module, as loaded by {@link loadCrypto}. */
export type CryptoApi = typeof Crypto;
/** @dms/storage's module, as loaded by {@link loadStorage}. */
export type StorageApi = typeof Storage;

function cannotLoad(name: string, err: unknown): never {
  throw new DmsError(
    "ERR_DMS_INTERNAL",
    `cannot load ${name} (${(err as Error).message}); reinstall, or build the workspace with 'npm run build'`,
    { cause: err },
  );
}

let cryptoModule: Promise<CryptoApi> | undefined;
let storageModule: Promise<StorageApi> | undefined;

/** Loads @dms/crypto once. */
export function loadCrypto(): Promise<CryptoApi> {
  cryptoModule ??= import("@dms/crypto").catch((err: unknown) => cannotLoad("@dms/crypto", err));
  return cryptoModule;
}

/** Loads @dms/storage once. */
export function loadStorage(): Promise<StorageApi> {
  storageModule ??= import("@dms/storage").catch((err: unknown) => cannotLoad("@dms/storage", err));
  return storageModule;
}
