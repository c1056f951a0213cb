import type { VolumeCipher } from "./cipher.js";

// Loaded on first use: the crypto stack is the heaviest import of this package, and most commands
// (list, size, lock, verify) never need it.
let crypto: Promise<typeof import("@dms/crypto")> | undefined;
function loadCrypto(): Promise<typeof import("@dms/crypto")> {
  crypto ??= import("@dms/crypto");
  return crypto;
}

/** Options of {@link ageCipher}. */
export interface AgeCipherOptions {
  /** @dms/crypto backend; default: its own default (native on Node). */
  backend?: "native" | "portable" | undefined;
  /** Called as file content is archived or restored, with the bytes so far (for a progress bar). */
  onProgress?: ((p: { bytes: number }) => void) | undefined;
  /**
   * Aborts a running encrypt or decrypt (Ctrl-C, a deadline). The controller then rolls the step
   * back, as for any cipher failure, and throws ERR_STORAGE_ABORTED: the volume is as it was.
   */
  signal?: AbortSignal | undefined;
}

/**
 * The volume cipher on @dms/crypto's directory mode: a volume becomes one age-encrypted POSIX tar
 * (so `age -d -i key .dms-volume.age | tar -x` restores it with standard tools). The archive format
 * normalises modes (0644, 0755 for folders and executables, 0600 / 0700 for owner-only ones) and keeps
 * symbolic links inside the volume.
 * Entries that extraction would refuse (names differing only by case or Unicode form, control
 * characters, links leaving the volume) are rejected while encrypting, before the plaintext is
 * touched (ERR_STORAGE_UNSUPPORTED_ENTRY), by @dms/crypto's own extraction rules.
 * Failures from @dms/crypto (AgeError) are thrown as they are; the controller maps them to StorageError
 * codes in one place (`cipherError`), keeping the AgeError as `cause`.
 * @example
 * const c = await openController({ root, cipher: ageCipher() });
 * await c.encryptVolume(vol.Path, { recipients: ["age1..."] });
 */
export function ageCipher(opts: AgeCipherOptions = {}): VolumeCipher {
  // Every option is also an option of encryptDirectory and extractDirectory, passed as it is.
  const common: AgeCipherOptions = { ...opts };
  return {
    async encryptDir(dir, archivePath, keys) {
      const { encryptDirectory } = await loadCrypto();
      await encryptDirectory(dir, archivePath, { ...common, ...keys, checkExtractable: true });
    },
    async extractTo(archivePath, dir, keys) {
      const { extractDirectory } = await loadCrypto();
      // Our own archives: the caps guard against hostile archives, not against large volumes.
      await extractDirectory(archivePath, dir, {
        ...common,
        ...keys,
        allowLinks: true,
        maxEntries: Number.MAX_SAFE_INTEGER,
        maxTotalBytes: Number.MAX_SAFE_INTEGER,
        maxDepth: Number.MAX_SAFE_INTEGER,
      });
    },
  };
}
