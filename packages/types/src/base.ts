import { randomUUID } from "node:crypto";
import { z } from "zod";
import { goTime, goUint } from "./go.js";
import type { ParseResult } from "./validate.js";
import { parse, safeParse } from "./validate.js";

/**
 * Base of every stored record (upstream `BaseDBModel`). Keys are the Go field names because upstream
 * has no JSON tags. Timestamps are RFC 3339 strings, as Go's `time.Time` marshals. `DeletedAt` is
 * absent (newer records) or null (gorm's `DeletedAt`, never deleted) until the record is soft-deleted.
 */
export const BaseRecordSchema = z.object({
  ID: z.string(),
  CreatedAt: goTime,
  UpdatedAt: goTime,
  // gorm-era records carry `"DeletedAt": null` when never deleted; kept as null so it round-trips.
  DeletedAt: goTime.nullable().optional(),
});
/** See {@link BaseRecordSchema}. */
export type BaseRecord = z.output<typeof BaseRecordSchema>;

/**
 * gorm's own `gorm.Model`, embedded by a few seed-era records (`ContainerImages`): like
 * {@link BaseRecordSchema} but `ID` is a Go `uint` (a number), and `DeletedAt` is always written
 * (`null` until soft-deleted).
 */
export const GormModelSchema = z.object({
  ID: goUint,
  CreatedAt: goTime,
  UpdatedAt: goTime,
  DeletedAt: goTime.nullable(),
});
/** See {@link GormModelSchema}. */
export type GormModel = z.output<typeof GormModelSchema>;

/** A new record base: a uuid v4 `ID`, and `CreatedAt` = `UpdatedAt` = `now`. */
export function newBaseRecord(now: Date = new Date()): BaseRecord {
  const t = now.toISOString();
  return { ID: randomUUID(), CreatedAt: t, UpdatedAt: t };
}

/** A copy of `rec` with `UpdatedAt` set to `now` (upstream `BeforeUpdate`). */
export function touch<T extends BaseRecord>(rec: T, now: Date = new Date()): T {
  return { ...rec, UpdatedAt: now.toISOString() };
}

/** A copy of `rec` marked soft-deleted at `now` (`DeletedAt` and `UpdatedAt` set). */
export function softDelete<T extends BaseRecord>(rec: T, now: Date = new Date()): T {
  const t = now.toISOString();
  return { ...rec, UpdatedAt: t, DeletedAt: t };
}

/**
 * True when `rec` is soft-deleted. Go's zero time (`0001-01-01T00:00:00Z`) and anything at or before
 * the Unix epoch count as not deleted, as upstream's Clover repository treats them.
 */
export function isDeleted(rec: BaseRecord): boolean {
  if (rec.DeletedAt === undefined || rec.DeletedAt === null) return false;
  const ms = Date.parse(rec.DeletedAt);
  return Number.isFinite(ms) && ms > 0;
}

/**
 * Parses a {@link BaseRecord} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseBaseRecord(json: unknown): BaseRecord {
  return parse(BaseRecordSchema, json, "BaseRecord");
}

/** Non-throwing {@link parseBaseRecord}. */
export function safeParseBaseRecord(json: unknown): ParseResult<BaseRecord> {
  return safeParse(BaseRecordSchema, json, "BaseRecord");
}
