import { z } from "zod";
import type { ObservabilityLevelName, ObservabilityLevelValue } from "./constants.js";
import { ObservabilityLevel } from "./constants.js";
import { goInt } from "./go.js";
import type { ParseResult } from "./validate.js";
import { parse, safeParse } from "./validate.js";

export type { ObservabilityLevelName, ObservabilityLevelValue } from "./constants.js";
export { levelName, ObservabilityLevel } from "./constants.js";

/**
 * Parses a level name as upstream does: only the exact upper-case names match; anything else
 * (`""`, `"warn"`) gives INFO (3). Never throws, like upstream.
 *
 * @example parseObservabilityLevel("WARN") // 4; parseObservabilityLevel("warn") // 3
 */
export function parseObservabilityLevel(s: string): ObservabilityLevelValue {
  return Object.hasOwn(ObservabilityLevel, s)
    ? ObservabilityLevel[s as ObservabilityLevelName]
    : ObservabilityLevel.INFO;
}

/** One telemetry collector. Wire keys are the Go field names (upstream has no JSON tags). */
export interface CollectorConfig {
  /** Wire `CollectorType`, e.g. `"OPENTELEMETRY"` or `"LOG"`. */
  collectorType: string;
  /** Wire `CollectorEndpoint`. */
  collectorEndpoint: string;
}

/**
 * Telemetry configuration (upstream's oldest `TelemetryConfig`, which has a numeric level). The TS
 * properties are camelCase; on the wire the keys are the Go field names (`ServiceName`,
 * `GlobalEndpoint`, `ObservabilityLevel`, `CollectorConfigs`), see {@link parseTelemetryConfig} and
 * {@link telemetryConfigToJSON}.
 */
export interface TelemetryConfig {
  serviceName: string;
  globalEndpoint: string;
  /** 1..6, see {@link ObservabilityLevel}. Not range-checked, as upstream does not check it. */
  observabilityLevel: number;
  collectorConfigs: Record<string, CollectorConfig>;
}

/** Wire (Go-named) form of {@link CollectorConfig}. */
export const CollectorConfigWireSchema = z.object({
  CollectorType: z.string(),
  CollectorEndpoint: z.string(),
});
/** Wire (Go-named) form of {@link TelemetryConfig}. A nil Go map (`null`) reads as `{}`. */
export const TelemetryConfigWireSchema = z.object({
  ServiceName: z.string(),
  GlobalEndpoint: z.string(),
  ObservabilityLevel: goInt,
  CollectorConfigs: z.record(z.string(), CollectorConfigWireSchema).nullable(),
});
/** JSON shape of a {@link TelemetryConfig}, keyed by Go field names. */
export type TelemetryConfigWire = z.output<typeof TelemetryConfigWireSchema>;

/** Schema that reads the wire form and yields the camelCase {@link TelemetryConfig}. */
export const TelemetryConfigSchema = TelemetryConfigWireSchema.transform(
  (w): TelemetryConfig => ({
    serviceName: w.ServiceName,
    globalEndpoint: w.GlobalEndpoint,
    observabilityLevel: w.ObservabilityLevel,
    collectorConfigs: Object.fromEntries(
      Object.entries(w.CollectorConfigs ?? {}).map(([k, c]) => [
        k,
        { collectorType: c.CollectorType, collectorEndpoint: c.CollectorEndpoint },
      ]),
    ),
  }),
);

/**
 * Parses a Go-named telemetry config document.
 * @throws TypesError `ERR_TYPES_INVALID` with the path of the first bad field.
 */
export function parseTelemetryConfig(json: unknown): TelemetryConfig {
  return parse(TelemetryConfigSchema, json, "TelemetryConfig");
}

/** Non-throwing {@link parseTelemetryConfig}. */
export function safeParseTelemetryConfig(json: unknown): ParseResult<TelemetryConfig> {
  return safeParse(TelemetryConfigSchema, json, "TelemetryConfig");
}

/** The wire (Go-named) form of `cfg`, ready for `JSON.stringify`. */
export function telemetryConfigToJSON(cfg: TelemetryConfig): TelemetryConfigWire {
  return {
    ServiceName: cfg.serviceName,
    GlobalEndpoint: cfg.globalEndpoint,
    ObservabilityLevel: cfg.observabilityLevel,
    CollectorConfigs: Object.fromEntries(
      Object.entries(cfg.collectorConfigs).map(([k, c]) => [
        k,
        { CollectorType: c.collectorType, CollectorEndpoint: c.collectorEndpoint },
      ]),
    ),
  };
}
