export type {
  CollectorConfig,
  ObservabilityLevelName,
  ObservabilityLevelValue,
  TelemetryConfig,
} from "@dms/types";
export { levelName, ObservabilityLevel } from "@dms/types";
export { CollectorType, type Env, type LoadConfigOptions, loadConfigFromEnv } from "./env.js";
export { TelemetryError, type TelemetryErrorCode } from "./errors.js";
export { type ParseLevelOptions, parseObservabilityLevel, type WarningHandler } from "./level.js";
