import { z } from "zod";
import type { Comparison } from "./comparison.js";
import type { ExecutorType } from "./constants.js";
import { compareSets } from "./lists.js";
import type { ParseResult } from "./validate.js";
import { parse, safeParse } from "./validate.js";

export { ExecutorType } from "./constants.js";
/** Schema of an {@link ExecutorType}: any string, kept verbatim, as Go's decoder does. */
export const ExecutorTypeSchema: z.ZodType<ExecutorType> = z.string();

export { ExecutionStatusCodeSuccess } from "./constants.js";

/** A list of executor types (upstream `Executors`; duplicates allowed). */
export type Executors = ExecutorType[];
/** Schema of {@link Executors}; `null` is a Go nil list. */
export const ExecutorsSchema = z.array(ExecutorTypeSchema).nullable();

/**
 * The older executor record (upstream `Executor` of the seed era, `{"executor_type": …}`), which
 * later became the `[]ExecutorType` of {@link ExecutorsSchema}. Two compare equal when their types do.
 */
export const LegacyExecutorSchema = z.object({ executor_type: ExecutorTypeSchema });
/** See {@link LegacyExecutorSchema}. */
export type LegacyExecutor = z.output<typeof LegacyExecutorSchema>;

/** Parses a {@link LegacyExecutor}. @throws TypesError `ERR_TYPES_INVALID` with `field` set. */
export function parseLegacyExecutor(json: unknown): LegacyExecutor {
  return parse(LegacyExecutorSchema, json, "Executor");
}

/** Non-throwing {@link parseLegacyExecutor}. */
export function safeParseLegacyExecutor(json: unknown): ParseResult<LegacyExecutor> {
  return safeParse(LegacyExecutorSchema, json, "Executor");
}

/** Executor types compare Equal when the same, otherwise None. */
export function compareExecutorType(own: ExecutorType, required: ExecutorType): Comparison {
  return own === required ? "Equal" : "None";
}

/** `own` followed by `other` (duplicates kept, as upstream). Returns a new list. */
export function addExecutors(
  own: readonly ExecutorType[] | null,
  other: readonly ExecutorType[] | null,
): Executors {
  return [...(own ?? []), ...(other ?? [])];
}

/** `own` without every entry that appears in `other`. Returns a new list. */
export function subtractExecutors(
  own: readonly ExecutorType[] | null,
  other: readonly ExecutorType[] | null,
): Executors {
  const drop = new Set(other ?? []);
  return (own ?? []).filter((e) => !drop.has(e));
}

/** True when `list` contains `t`. */
export function containsExecutor(list: readonly ExecutorType[] | null, t: ExecutorType): boolean {
  return (list ?? []).includes(t);
}

/**
 * Same items in the same order → Equal; own ⊇ required → Better; required ⊇ own → Worse; else None.
 * As upstream, an empty required list is never "contained", so `[docker]` vs `[]` → None.
 */
export function compareExecutors(
  own: readonly ExecutorType[] | null,
  required: readonly ExecutorType[] | null,
): Comparison {
  return compareSets(own, required);
}
