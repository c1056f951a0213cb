import { z } from "zod";
import { BaseRecordSchema } from "./base.js";
import { EncryptionTypeSchema } from "./encryption.js";
import type { ParseResult } from "./validate.js";
import { parsers } from "./validate.js";

/** Volume type of a bind mount into an executor. */
export const StorageVolumeTypeBind = "bind";
/** Storage provider name for S3. */
export const StorageProviderS3 = "s3";
/** Storage provider name for IPFS. */
export const StorageProviderIPFS = "ipfs";

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
 * A stored volume record (upstream `StorageVolume`). Upstream has no JSON tags, so the keys are the
 * Go field names: `ID`, `CreatedAt`, `UpdatedAt`, `DeletedAt` (absent unless soft-deleted), `CID`
 * (set only once the volume is locked, else `""`), `Path`, `ReadOnly`, `Private`, `EncryptionType`.
 */
export const StorageVolumeSchema = BaseRecordSchema.extend({
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
