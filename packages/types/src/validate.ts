import type { z } from "zod";
import { TypesError } from "./errors.js";

/** Result of a non-throwing parse: the value, or the {@link TypesError} that `parse` would throw. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: TypesError };

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return `expected ${issue.origin} >= ${String(issue.minimum)}`;
    case "too_big":
      if (issue.maximum === Number.MAX_SAFE_INTEGER) {
        return "expected a safe integer (at most 2^53-1: larger Go int64/uint64 values lose precision in JSON)";
      }
      return `expected ${issue.origin} <= ${String(issue.maximum)}`;
    case "invalid_format":
      if (issue.format === "datetime") return "expected an RFC 3339 time such as 2024-01-02T15:04:05Z";
      if (issue.format === "base64") return "expected base64 (Go []byte)";
      return `expected ${issue.format}`;
    default:
      return issue.message;
  }
}

/**
 * Validates `data` against `schema` and returns the parsed value (unknown keys are dropped, as Go's
 * `json.Unmarshal` ignores them). Go integers (`int64`, `uint64`) must be safe integers: a value
 * above 2^53 − 1 has already been rounded by `JSON.parse`, so it is rejected, not passed on wrong.
 *
 * @param what - name of the wire type, used in the message (e.g. `"GPU"`).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parse<S extends z.ZodType>(schema: S, data: unknown, what = "value"): z.output<S> {
  const r = safeParse(schema, data, what);
  if (!r.ok) throw r.error;
  return r.value;
}

/** Non-throwing {@link parse}: never throws, returns `{ ok: false, error }` instead. */
export function safeParse<S extends z.ZodType>(
  schema: S,
  data: unknown,
  what = "value",
): ParseResult<z.output<S>> {
  const r = schema.safeParse(data);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  const path = issue === undefined ? "" : formatPath(issue.path);
  const detail = issue === undefined ? "invalid" : describe(issue);
  const where = path === "" ? "" : ` at "${path}"`;
  const error = new TypesError(
    "ERR_TYPES_INVALID",
    `invalid ${what}${where}: ${detail}; fix the document to match the ${what} schema`,
    { field: path, cause: r.error },
  );
  return { ok: false, error };
}

/** Builds the `parseX` / `safeParseX` pair for one schema. @internal */
export function parsers<S extends z.ZodType>(schema: S, what: string) {
  return {
    parse: (data: unknown): z.output<S> => parse(schema, data, what),
    safeParse: (data: unknown): ParseResult<z.output<S>> => safeParse(schema, data, what),
  };
}

const has = (json: unknown, keys: readonly string[]): boolean =>
  typeof json === "object" &&
  json !== null &&
  !Array.isArray(json) &&
  keys.some((k) => Object.hasOwn(json, k));

/**
 * A parser that reads either era: a document with one of `seedKeys` (and none of `taggedKeys`) is
 * read with `seed` and converted; anything else with `tagged`. @internal
 */
export function eitherEra<T, S>(
  tagged: z.ZodType<T>,
  seed: z.ZodType<S>,
  fromSeed: (s: S) => T,
  keys: { seed: readonly string[]; tagged: readonly string[] },
  what: string,
): { parse: (json: unknown) => T; safeParse: (json: unknown) => ParseResult<T> } {
  const safe = (json: unknown): ParseResult<T> => {
    if (!has(json, keys.seed) || has(json, keys.tagged)) return safeParse(tagged, json, what);
    const r = safeParse(seed, json, `${what} (seed shape)`);
    return r.ok ? { ok: true, value: fromSeed(r.value) } : r;
  };
  return {
    safeParse: safe,
    parse: (json) => {
      const r = safe(json);
      if (!r.ok) throw r.error;
      return r.value;
    },
  };
}
