// The libraries are loaded on first use so that `dms --help` and usage errors stay instant.
import type * as Crypto from "@dms/crypto";
import type * as CryptoCore from "@dms/crypto/core";
import type * as Storage from "@dms/storage";
import { DmsError } from "./errors.js";

export type { DecryptOptions, EncryptOptions, FdInput, FdOutput } from "@dms/crypto";
export type { IDType as StorageIDType, StorageVolume, VolumeController } from "@dms/storage";
/** @dms/crypto's module, as loaded by {@link loadCrypto}. */
export type CryptoApi = typeof Crypto;
/** The keys and the file/pipe engine of @dms/crypto, as loaded by {@link loadCore}. */
export type CoreApi = typeof CryptoCore;
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
let coreModule: Promise<CoreApi> | undefined;
let storageModule: Promise<StorageApi> | undefined;

/** Loads @dms/crypto once. */
export function loadCrypto(): Promise<CryptoApi> {
  cryptoModule ??= import("@dms/crypto").catch((err: unknown) => cannotLoad("@dms/crypto", err));
  return cryptoModule;
}

/**
 * Loads @dms/crypto's keys and file/pipe engine once: about half the index's modules, ~20 ms less
 * start-up for a command that encrypts or decrypts one file. Directories, streams, random access
 * and inspect use {@link loadCrypto}.
 */
export function loadCore(): Promise<CoreApi> {
  coreModule ??= import("@dms/crypto/core").catch((err: unknown) => cannotLoad("@dms/crypto", err));
  return coreModule;
}

/** Loads @dms/storage once. */
export function loadStorage(): Promise<StorageApi> {
  storageModule ??= import("@dms/storage").catch((err: unknown) => cannotLoad("@dms/storage", err));
  return storageModule;
}
