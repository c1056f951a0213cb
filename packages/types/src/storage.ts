import { z } from "zod";
import { BaseRecordSchema } from "./base.js";
import { EncryptionTypeSchema } from "./encryption.js";
import type { ParseResult } from "./validate.js";
import { parsers } from "./validate.js";

export { StorageProviderIPFS, StorageProviderS3, StorageVolumeTypeBind } from "./constants.js";

/** A volume mounted into an executor (upstream `StorageVolumeExecutor`, JSON tags kept). */
export const StorageVolumeExecutorSchema = z.object({
  /** e.g. {@link StorageVolumeTypeBind}. */
  type: z.string(),
  source: z.string(),
  target: z.string(),
  readonly: z.boolean(),
});
/** See {@link StorageVolumeExecutorSchema}. */
export type StorageVolumeExecutor = z.output<typeof StorageVolumeExecutorSchema>;

/**
 * A volume record (upstream `StorageVolume`). Upstream has no JSON tags, so the keys are the Go field
 * names: `ID`, `CreatedAt`, `UpdatedAt`, `DeletedAt`, `CID` (set only once the volume is locked, else
 * `""`), `Path`, `ReadOnly`, `Private`, `EncryptionType`. The four base fields are optional: upstream's
 * newest `BaseDBModel` omits zero ones (`omitempty,omitzero`), so a record never updated arrives
 * without `UpdatedAt`, one not yet stored without `ID` and `CreatedAt`. The others are always there.
 */
export const StorageVolumeSchema = BaseRecordSchema.partial().extend({
  CID: z.string(),
  Path: z.string(),
  ReadOnly: z.boolean(),
  Private: z.boolean(),
  EncryptionType: EncryptionTypeSchema,
});
/** See {@link StorageVolumeSchema}. */
export type StorageVolume = z.output<typeof StorageVolumeSchema>;

const sve = parsers(StorageVolumeExecutorSchema, "StorageVolumeExecutor");
const sv = parsers(StorageVolumeSchema, "StorageVolume");

/** Parses a {@link StorageVolumeExecutor}. @throws TypesError `ERR_TYPES_INVALID`. */
export const parseStorageVolumeExecutor: (json: unknown) => StorageVolumeExecutor = sve.parse;
/** Non-throwing {@link parseStorageVolumeExecutor}. */
export const safeParseStorageVolumeExecutor: (json: unknown) => ParseResult<StorageVolumeExecutor> =
  sve.safeParse;
/** Parses a {@link StorageVolume}. @throws TypesError `ERR_TYPES_INVALID`. */
export const parseStorageVolume: (json: unknown) => StorageVolume = sv.parse;
/** Non-throwing {@link parseStorageVolume}. */
export const safeParseStorageVolume: (json: unknown) => ParseResult<StorageVolume> = sv.safeParse;
