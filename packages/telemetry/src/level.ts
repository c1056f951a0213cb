import { ObservabilityLevel, type ObservabilityLevelName, type ObservabilityLevelValue } from "@dms/types";
import { TelemetryError } from "./errors.js";

/** Receives the warnings of lenient parsing; upstream logged them. */
export type WarningHandler = (message: string) => void;

/** Options of {@link parseObservabilityLevel}. */
export interface ParseLevelOptions {
  /** Called once with a warning when the value is not a level name and INFO is used instead. */
  onWarning?: WarningHandler | undefined;
  /** Throw {@link TelemetryError} `ERR_TELEMETRY_INVALID_LEVEL` instead of falling back to INFO. */
  strict?: boolean | undefined;
  /** Variable name used in messages; default `OBSERVABILITY_LEVEL`. */
  variable?: string | undefined;
}

const NAMES = Object.keys(ObservabilityLevel) as ObservabilityLevelName[];

/**
 * Maps the exact, upper-case level names `TRACE`, `DEBUG`, `INFO`, `WARN`, `ERROR`, `FATAL` to 1..6,
 * as upstream does. Anything else (`"warn"`, `" INFO"`, `"7"`) gives INFO (3) and one warning passed to
 * `onWarning`; it never throws unless `strict` is set.
 *
 * @throws TelemetryError `ERR_TELEMETRY_INVALID_LEVEL`, only with `strict: true`.
 * @example parseObservabilityLevel("WARN") // 4
 */
export function parseObservabilityLevel(
  value: string,
  options: ParseLevelOptions = {},
): ObservabilityLevelValue {
  if (Object.hasOwn(ObservabilityLevel, value)) return ObservabilityLevel[value as ObservabilityLevelName];
  const variable = options.variable ?? "OBSERVABILITY_LEVEL";
  const what = `${variable}=${JSON.stringify(value)} is not a level name; use one of ${NAMES.join(", ")}`;
  if (options.strict) throw new TelemetryError("ERR_TELEMETRY_INVALID_LEVEL", variable, what);
  options.onWarning?.(`${what}; using INFO`);
  return ObservabilityLevel.INFO;
}
