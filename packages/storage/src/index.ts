export { type AgeCipherOptions, ageCipher } from "./age.js";
export type { DecryptKeys, EncryptKeys, VolumeCipher } from "./cipher.js";
export {
  type ControllerOptions,
  type CreateOptions,
  DATABASE_FILE,
  type LockOptions,
  openController,
  type RecoveryReport,
  type VerifyResult,
  VolumeController,
} from "./controller.js";
export { isStorageError, StorageError, type StorageErrorCode, type StorageErrorOptions } from "./errors.js";
export { ARCHIVE_NAME, type ProgressEvent, TMP_DIR } from "./journal.js";
export {
  buildManifest,
  diffManifests,
  MANIFEST_HEADER,
  type Manifest,
  type ManifestDiff,
} from "./manifest.js";
export { MemoryRepository } from "./memory.js";
export {
  EncryptionType,
  IDType,
  type StorageVolume,
  type StorageVolumeExecutor,
  StorageVolumeTypeBind,
  VolumeSource,
} from "./model.js";
export { bindMount } from "./mount.js";
export type {
  JournalEntry,
  LeaseOwner,
  LeaseResult,
  NewVolume,
  StoredManifest,
  VolumePatch,
  VolumeRepository,
} from "./repository.js";
export { defaultStorageRoot } from "./root.js";
export { SCHEMA_VERSION, SqliteRepository } from "./sqlite.js";
export { type MountInfo, VolumeTracker } from "./tracker.js";
export {
  dirName,
  GlusterVolume,
  glusterMountArgs,
  hostPath,
  LocalVolume,
  type Mounter,
  newVolume,
  type VolumeConfig,
} from "./volume.js";
