// The libraries are loaded on first use so that `dms --help` and usage errors stay instant.
import type { Transform } from "node:stream";
import { DmsError } from "./errors.js";

/** Progress callback shape shared by the libraries. */
export type OnProgress = (p: { bytes: number; total?: number }) => void;

export interface EncryptOptions {
  signal?: AbortSignal;
  recipients?: string[];
  passphrase?: string;
  armor?: boolean;
  onProgress?: OnProgress;
}

export interface DecryptOptions {
  signal?: AbortSignal;
  identities?: string[];
  passphrase?: string;
  onProgress?: OnProgress;
}

export interface InspectResult {
  armored: boolean;
  stanzas: { type: string; args: string[]; workFactor?: number }[];
  headerBytes: number;
  fileBytes?: number;
  payloadBytes: number;
  plaintextBytes: number;
}

export interface EncryptedFile {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** The part of @dms/crypto (packages/crypto/API.md) the command line uses. */
export interface CryptoApi {
  generateIdentity(): Promise<string>;
  generateHybridIdentity(): Promise<string>;
  identityToRecipient(identity: string): Promise<string>;
  parseIdentities(text: string): string[];
  parseRecipients(text: string): string[];
  encryptNodeStream(o: EncryptOptions): Transform;
  decryptNodeStream(o: DecryptOptions): Transform;
  encryptFile(src: string, dst: string, o: EncryptOptions): Promise<void>;
  decryptFile(src: string, dst: string, o: DecryptOptions): Promise<void>;
  encryptDirectory(
    dir: string,
    dst: string | NodeJS.WritableStream,
    o: EncryptOptions,
  ): Promise<{ entries: number; bytes: number }>;
  extractDirectory(
    src: string | NodeJS.ReadableStream,
    dir: string,
    o: DecryptOptions,
  ): Promise<{ entries: number; bytes: number }>;
  openEncrypted(source: string, o: DecryptOptions): Promise<EncryptedFile>;
  inspect(source: string | Uint8Array): Promise<InspectResult>;
}

let cryptoModule: Promise<CryptoApi> | undefined;

/** Loads @dms/crypto once. */
export function loadCrypto(): Promise<CryptoApi> {
  // A variable specifier keeps this package's build independent of the order the libraries build in.
  const spec = "@dms/crypto";
  cryptoModule ??= (import(spec) as Promise<CryptoApi>).catch((err: unknown) => {
    throw new DmsError(
      "ERR_DMS_INTERNAL",
      `cannot load ${spec} (${(err as Error).message}); reinstall, or build the workspace with 'npm run build'`,
      { cause: err },
    );
  });
  return cryptoModule;
}

/**
 * Returns `name` from the loaded module, or fails with ERR_DMS_UNSUPPORTED when the installed library
 * does not have it yet.
 */
export function need<M extends object, K extends keyof M>(mod: M, name: K, what: string): M[K] {
  const fn = mod[name];
  if (typeof fn !== "function") {
    throw new DmsError(
      "ERR_DMS_UNSUPPORTED",
      `${what} is not available in the installed library (no ${String(name)}); update @dms/crypto and @dms/storage`,
    );
  }
  return (fn as (...a: unknown[]) => unknown).bind(mod) as M[K];
}

/** A volume record as @dms/storage returns it (Go field names). */
export interface StorageVolume {
  ID: string;
  CreatedAt: string;
  UpdatedAt: string;
  CID: string;
  Path: string;
  ReadOnly: boolean;
  Private: boolean;
  EncryptionType: number;
}

export interface VerifyResult {
  ok: boolean;
  expected: string;
  actual: string;
  cid: string;
  added: string[];
  removed: string[];
  modified: string[];
}

export interface VolumeCipher {
  encryptDir(dir: string, archivePath: string, keys: EncryptOptions): Promise<void>;
  extractTo(archivePath: string, dir: string, keys: DecryptOptions): Promise<void>;
}

/** The part of @dms/storage's VolumeController the command line uses. */
export interface VolumeController {
  createVolume(source: string, opts?: { private?: boolean }): Promise<StorageVolume>;
  lockVolume(path: string, opts?: { cid?: string }): Promise<StorageVolume>;
  verifyVolume(path: string): Promise<VerifyResult>;
  deleteVolume(id: string, idType: number): Promise<void>;
  listVolumes(): Promise<StorageVolume[]>;
  getSize(id: string, idType: number): Promise<number>;
  encryptVolume(path: string, keys: { recipients?: string[]; passphrase?: string }): Promise<StorageVolume>;
  decryptVolume(path: string, keys: { identities?: string[]; passphrase?: string }): Promise<StorageVolume>;
  close(): Promise<void>;
}

/** The part of @dms/storage the command line uses. */
export interface StorageApi {
  openController(o: { root: string; cipher?: VolumeCipher }): Promise<VolumeController>;
  defaultStorageRoot(env?: Record<string, string | undefined>): string;
  ageCipher?: () => VolumeCipher;
  IDType: { Path: number; CID: number };
  VolumeSource: Record<string, string>;
}

let storageModule: Promise<StorageApi> | undefined;

/** Loads @dms/storage once. */
export function loadStorage(): Promise<StorageApi> {
  const spec = "@dms/storage";
  storageModule ??= (import(spec) as Promise<StorageApi>).catch((err: unknown) => {
    throw new DmsError(
      "ERR_DMS_INTERNAL",
      `cannot load ${spec} (${(err as Error).message}); reinstall, or build the workspace with 'npm run build'`,
      { cause: err },
    );
  });
  return storageModule;
}
