// These mirror the shapes @dms/types is adding (Go field names as JSON keys, as upstream has no JSON tags).
// They live here until @dms/types exports them; the shapes must stay identical so values pass between both.

/** How a volume's contents are stored. Upstream has only Null; Age is added by this port. */
export const EncryptionType = { Null: 0, Age: 1 } as const;
/** A value of {@link EncryptionType}. */
export type EncryptionType = (typeof EncryptionType)[keyof typeof EncryptionType];

/** Which identifier a lookup uses (upstream `storage.IDType`). */
export const IDType = { Undefined: 0, Path: 1, CID: 2 } as const;
/** A value of {@link IDType}. */
export type IDType = (typeof IDType)[keyof typeof IDType];

/** Where a volume's data comes from (upstream `storage.VolumeSource`). */
export const VolumeSource = {
  Undefined: "volume-source-undefined",
  S3: "s3",
  IPFS: "ipfs",
  Job: "job",
} as const;
/** A value of {@link VolumeSource}. */
export type VolumeSource = (typeof VolumeSource)[keyof typeof VolumeSource];

/**
 * A storage volume record (upstream `types.StorageVolume` with its embedded `BaseDBModel`).
 * Times are RFC 3339 strings, as Go's `time.Time` marshals them.
 */
export interface StorageVolume {
  ID: string;
  CreatedAt: string;
  UpdatedAt: string;
  DeletedAt?: string;
  /** Content identifier; set when the volume is locked (our digest, or the caller's via `cid`). */
  CID: string;
  /** Absolute path of the volume folder. */
  Path: string;
  ReadOnly: boolean;
  Private: boolean;
  EncryptionType: EncryptionType;
}

/** What an executor needs to mount a volume (upstream `types.StorageVolumeExecutor`). */
export interface StorageVolumeExecutor {
  type: string;
  source: string;
  target: string;
  readonly: boolean;
}

/** Upstream `types.StorageVolumeTypeBind`. */
export const StorageVolumeTypeBind = "bind";
