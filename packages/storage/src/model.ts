import type { StorageVolume as TypesStorageVolume } from "@dms/types";

// The record shapes are @dms/types' (Go field names as JSON keys); the lookup enums are storage's own.
export type { StorageVolumeExecutor } from "@dms/types";

/**
 * A stored volume record: @dms/types' `StorageVolume` (which also reads Go documents that omit zero
 * base fields) with the base fields a stored record always has.
 */
export type StorageVolume = TypesStorageVolume &
  Required<Pick<TypesStorageVolume, "ID" | "CreatedAt" | "UpdatedAt">>;

// From @dms/types' zod-free entry: importing its main entry would load the schema library, about
// 0.25 s of start-up for every process (each `dms volume` call).
export { EncryptionType, StorageVolumeTypeBind } from "@dms/types/constants";

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
