import type { CollectorConfig, TelemetryConfig } from "@dms/types";
import { ObservabilityLevel } from "@dms/types";
import { TelemetryError } from "./errors.js";
import { parseObservabilityLevel, type WarningHandler } from "./level.js";

/** Environment to read; `process.env` by default, injectable for tests and embedding. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Options of {@link loadConfigFromEnv}. */
export interface LoadConfigOptions {
  /** Receives warnings about values that were replaced by defaults. */
  onWarning?: WarningHandler | undefined;
  /** Throw a {@link TelemetryError} on a bad level or endpoint instead of warning. */
  strict?: boolean | undefined;
}

/** Collector keys and types, as upstream names them. */
export const CollectorType = { OpenTelemetry: "OPENTELEMETRY", Log: "LOG" } as const;

/** Reads `name`, trimmed; blank or missing means unset (OpenTelemetry's rule). */
function read(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/** First set variable of `names`, with the name it came from. */
function first(env: Env, names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = read(env, name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

/** An endpoint is a URL (`http://host:4318`) or `host:port`, as upstream's defaults are written. */
function isEndpoint(value: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return URL.canParse(value);
  return /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:.]+\]:\d{1,5}$/.test(value);
}

function endpoint(env: Env, names: string[], options: LoadConfigOptions): string {
  const found = first(env, names);
  if (!found) return "";
  if (!isEndpoint(found.value)) {
    const what = `${found.name}=${JSON.stringify(found.value)} is not an endpoint; use a URL such as http://collector:4318 or host:port`;
    if (options.strict) throw new TelemetryError("ERR_TELEMETRY_INVALID_ENDPOINT", found.name, what);
    options.onWarning?.(`${what}; keeping it as given`);
  }
  return found.value;
}

/**
 * Builds the telemetry config from the environment, at call time, as upstream's `LoadConfigFromEnv`:
 * - `OBSERVABILITY_LEVEL`: a level name, see {@link parseObservabilityLevel}; unset gives INFO silently,
 *   a bad value gives INFO with a warning (upstream also warned on unset; we do not, as unset is normal).
 * - `SERVICE_NAME`, else `OTEL_SERVICE_NAME`; `""` when neither is set.
 * - `COLLECTOR_ENDPOINT`, else `OTEL_EXPORTER_OTLP_ENDPOINT`, as the global endpoint; `""` when unset.
 * - `COLLECTOR_OPENTELEMETRY_ENDPOINT` and `COLLECTOR_LOG_ENDPOINT` each add a collector keyed and typed
 *   `OPENTELEMETRY` / `LOG`, only when set.
 *
 * Blank (empty or whitespace) means unset; values are trimmed. The result is deeply frozen.
 *
 * @throws TelemetryError `ERR_TELEMETRY_INVALID_LEVEL` / `ERR_TELEMETRY_INVALID_ENDPOINT`, only with `strict`.
 * @example
 * const cfg = loadConfigFromEnv({ OBSERVABILITY_LEVEL: "DEBUG", COLLECTOR_LOG_ENDPOINT: "http://logs:9200" });
 * cfg.observabilityLevel; // 2
 */
export function loadConfigFromEnv(env: Env = process.env, options: LoadConfigOptions = {}): TelemetryConfig {
  const level = read(env, "OBSERVABILITY_LEVEL");
  const collectorConfigs: Record<string, CollectorConfig> = {};
  const collectors = [
    [CollectorType.OpenTelemetry, "COLLECTOR_OPENTELEMETRY_ENDPOINT"],
    [CollectorType.Log, "COLLECTOR_LOG_ENDPOINT"],
  ] as const;
  for (const [type, variable] of collectors) {
    const value = endpoint(env, [variable], options);
    if (value) collectorConfigs[type] = Object.freeze({ collectorType: type, collectorEndpoint: value });
  }
  return Object.freeze({
    serviceName: first(env, ["SERVICE_NAME", "OTEL_SERVICE_NAME"])?.value ?? "",
    globalEndpoint: endpoint(env, ["COLLECTOR_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"], options),
    observabilityLevel:
      level === undefined ? ObservabilityLevel.INFO : parseObservabilityLevel(level, options),
    collectorConfigs: Object.freeze(collectorConfigs),
  });
}
