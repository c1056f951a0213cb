/** Stable codes of {@link TelemetryError}. */
export type TelemetryErrorCode = "ERR_TELEMETRY_INVALID_LEVEL" | "ERR_TELEMETRY_INVALID_ENDPOINT";

/** The one error class of `@dms/telemetry`; only thrown in strict mode. Branch on `code`. */
export class TelemetryError extends Error {
  override readonly name = "TelemetryError";
  readonly code: TelemetryErrorCode;
  /** The environment variable whose value was refused. */
  readonly variable: string;

  constructor(code: TelemetryErrorCode, variable: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.variable = variable;
  }
}
