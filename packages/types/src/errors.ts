/**
 * Stable codes carried by {@link TypesError}. Callers branch on these, never on the message.
 *
 * - `ERR_TYPES_INVALID`: a wire document or value does not match its schema.
 * - `ERR_TYPES_SPEC`: a {@link SpecConfig} is nil or has no type (upstream `Validate`).
 * - `ERR_TYPES_UNDERFLOW`: a subtraction would take a resource below zero.
 * - `ERR_TYPES_NOT_FOUND`: a looked-up item (GPU by index, GPU with free VRAM) does not exist.
 * - `ERR_TYPES_VERSION`: a version or version constraint cannot be parsed.
 */
export type TypesErrorCode =
  | "ERR_TYPES_INVALID"
  | "ERR_TYPES_SPEC"
  | "ERR_TYPES_UNDERFLOW"
  | "ERR_TYPES_NOT_FOUND"
  | "ERR_TYPES_VERSION";

/** Options for {@link TypesError}. */
export interface TypesErrorOptions {
  /** Dotted path of the first bad field (`cpu.clock_speed`, `gpus[0].vram`); `""` for the root. */
  field?: string;
  /** The underlying error, kept for debugging. */
  cause?: unknown;
}

/**
 * The one error class of `@dms/types`. `code` is stable; `message` keeps upstream's text where
 * upstream had one (e.g. `core: underflow, cannot subtract 2 from 1`), so logs read the same.
 *
 * @example
 * try { parseGPU(doc) } catch (e) { if (e instanceof TypesError && e.code === "ERR_TYPES_INVALID") console.log(e.field) }
 */
export class TypesError extends Error {
  override readonly name = "TypesError";
  /** Stable machine-readable code. */
  readonly code: TypesErrorCode;
  /**
   * Dotted path of the first bad field for `ERR_TYPES_INVALID`, otherwise `""`. Named `field`, not
   * `path`, because `path` means a filesystem path in every DMS error class.
   */
  readonly field: string;

  constructor(code: TypesErrorCode, message: string, options: TypesErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field ?? "";
  }
}

/** True when `e` is a {@link TypesError}, optionally with the given code. */
export function isTypesError(e: unknown, code?: TypesErrorCode): e is TypesError {
  return e instanceof TypesError && (code === undefined || e.code === code);
}
