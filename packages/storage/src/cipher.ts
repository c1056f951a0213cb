/** Keys for sealing a volume: age recipients ("age1...") or a passphrase (scrypt), not both. */
export interface EncryptKeys {
  recipients?: string[] | undefined;
  passphrase?: string | undefined;
}

/** Keys for opening a volume: age identities ("AGE-SECRET-KEY-1...") or the passphrase. */
export interface DecryptKeys {
  identities?: string[] | undefined;
  passphrase?: string | undefined;
}

/**
 * Turns a folder into one archive file and back. The controller owns atomicity (temp names, fsync,
 * journal); a cipher only has to write `archivePath` completely or fail, and to extract into `dir`
 * (which does not exist yet) completely or fail. `ageCipher()` is the implementation on @dms/crypto.
 */
export interface VolumeCipher {
  encryptDir(dir: string, archivePath: string, keys: EncryptKeys): Promise<void>;
  extractTo(archivePath: string, dir: string, keys: DecryptKeys): Promise<void>;
}
