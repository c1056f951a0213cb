// The record shapes are @dms/types' (Go field names as JSON keys); the lookup enums are storage's own.
export {
  EncryptionType,
  type StorageVolume,
  type StorageVolumeExecutor,
  StorageVolumeTypeBind,
} from "@dms/types";

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
