import { z } from "zod";
import { TypesError } from "./errors.js";
import { goEqualFold, goTrimSpace } from "./go.js";
import type { ParseResult } from "./validate.js";
import { parse, safeParse } from "./validate.js";

/**
 * A typed configuration blob (upstream `types/spec_config.go`): `{ type, params }` on the wire,
 * `params` omitted when absent (Go `omitempty` on a nil or empty map). Methods mutate the instance, as
 * upstream's pointer receivers do; the free functions ({@link isType} etc.) accept `null`/`undefined`
 * where upstream accepts a nil receiver.
 *
 * @example
 * const cfg = new SpecConfig("docker").withParam("image", "alpine").withParam("cmd", ["ls"]);
 */
export class SpecConfig {
  /** The kind of thing configured (e.g. `"docker"`). Kept exactly as given; see {@link normalize}. */
  type: string;
  /** Parameters; `undefined` plays Go's nil map. */
  params?: Record<string, unknown>;

  /** Upstream `NewSpecConfig`: `type` kept as given, `params` an empty object (never nil). */
  constructor(type: string, params: Record<string, unknown> = {}) {
    this.type = type;
    this.params = params;
  }

  /** Sets `params[key] = value` (creating `params` if absent) and returns this same instance. */
  withParam(key: string, value: unknown): this {
    this.params ??= {};
    this.params[key] = value;
    return this;
  }

  /** Trims whitespace from `type` (case kept); an absent or empty `params` becomes a new `{}`. */
  normalize(): void {
    normalize(this);
  }

  /** @throws TypesError `ERR_TYPES_SPEC` `"missing spec type"` when `type` is blank. */
  validate(): void {
    validate(this);
  }

  /** See {@link isType}. */
  isType(t: string): boolean {
    return isType(this, t);
  }

  /** See {@link isEmpty}. */
  isEmpty(): boolean {
    return isEmpty(this);
  }

  /** The wire form: `params` omitted when absent or empty, as Go's `omitempty` does. */
  toJSON(): { type: string; params?: Record<string, unknown> } {
    const p = this.params;
    return p === undefined || Object.keys(p).length === 0
      ? { type: this.type }
      : { type: this.type, params: p };
  }
}

/** Upstream `NewSpecConfig(t)`. */
export function newSpecConfig(type: string): SpecConfig {
  return new SpecConfig(type);
}

/** Nil-safe `WithParam`: on `null`/`undefined` returns it unchanged (upstream would panic). */
export function withParam<T extends SpecConfig | null | undefined>(cfg: T, key: string, value: unknown): T {
  cfg?.withParam(key, value);
  return cfg;
}

/** Nil-safe `Normalize`: does nothing for `null`/`undefined`. */
export function normalize(cfg: SpecConfig | null | undefined): void {
  if (cfg == null) return;
  cfg.type = goTrimSpace(cfg.type);
  if (cfg.params === undefined || Object.keys(cfg.params).length === 0) cfg.params = {};
}

/**
 * Nil-safe `Validate`, with upstream's exact messages. `params` are never checked.
 * @throws TypesError `ERR_TYPES_SPEC` `"nil spec config"` for `null`/`undefined`,
 *   `"missing spec type"` when `type` is empty after trimming.
 */
export function validate(cfg: SpecConfig | null | undefined): void {
  if (cfg == null) throw new TypesError("ERR_TYPES_SPEC", "nil spec config");
  if (goTrimSpace(cfg.type) === "") throw new TypesError("ERR_TYPES_SPEC", "missing spec type");
}

/**
 * Nil-safe `IsType`: false for `null`/`undefined`. Trims **only the argument**, then compares
 * case-insensitively with `type`, which is not trimmed (so `" docker"` is not type `"docker"`).
 * Trimming and case folding are Go's (`strings.TrimSpace`, `strings.EqualFold`), not JS's `trim` /
 * `toLowerCase`: U+0085 is white space and U+FEFF is not; `"ß"` is not `"SS"`.
 */
export function isType(cfg: SpecConfig | null | undefined, t: string): boolean {
  if (cfg == null) return false;
  return goEqualFold(cfg.type, goTrimSpace(t));
}

/** Nil-safe `IsEmpty`: `null`/`undefined`, or a blank `type` **and** no params. */
export function isEmpty(cfg: SpecConfig | null | undefined): boolean {
  if (cfg == null) return true;
  return goTrimSpace(cfg.type) === "" && (cfg.params === undefined || Object.keys(cfg.params).length === 0);
}

/** Wire schema of a {@link SpecConfig} (`params` may be `null`, Go's nil map). */
export const SpecConfigWireSchema = z.object({
  type: z.string(),
  params: z.record(z.string(), z.unknown()).nullable().optional(),
});

/** Schema yielding a {@link SpecConfig} instance. A `null` or absent `params` stays absent. */
export const SpecConfigSchema = SpecConfigWireSchema.transform((w) => {
  const cfg = new SpecConfig(w.type);
  if (w.params == null) delete cfg.params;
  else cfg.params = w.params;
  return cfg;
});

/**
 * Parses a spec config document.
 * @throws TypesError `ERR_TYPES_INVALID` with the path of the first bad field.
 */
export function parseSpecConfig(json: unknown): SpecConfig {
  return parse(SpecConfigSchema, json, "SpecConfig");
}

/** Non-throwing {@link parseSpecConfig}. */
export function safeParseSpecConfig(json: unknown): ParseResult<SpecConfig> {
  return safeParse(SpecConfigSchema, json, "SpecConfig");
}
