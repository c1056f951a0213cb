import { describe, expect, it } from "vitest";
import { loadConfigFromEnv, TelemetryError } from "../src/index.js";

describe("loadConfigFromEnv", () => {
  it("gives upstream's defaults on an empty environment", () => {
    expect(loadConfigFromEnv({})).toEqual({
      serviceName: "",
      globalEndpoint: "",
      observabilityLevel: 3,
      collectorConfigs: {},
    });
  });

  it("reads the five upstream variables", () => {
    const cfg = loadConfigFromEnv({
      OBSERVABILITY_LEVEL: "DEBUG",
      SERVICE_NAME: "dms",
      COLLECTOR_ENDPOINT: "otel-collector.telemetry.nunet.io:4318",
      COLLECTOR_OPENTELEMETRY_ENDPOINT: "http://otel:4318",
      COLLECTOR_LOG_ENDPOINT: "http://logs:9200",
    });
    expect(cfg).toEqual({
      serviceName: "dms",
      globalEndpoint: "otel-collector.telemetry.nunet.io:4318",
      observabilityLevel: 2,
      collectorConfigs: {
        OPENTELEMETRY: { collectorType: "OPENTELEMETRY", collectorEndpoint: "http://otel:4318" },
        LOG: { collectorType: "LOG", collectorEndpoint: "http://logs:9200" },
      },
    });
  });

  it("adds one collector keyed LOG when only COLLECTOR_LOG_ENDPOINT is set", () => {
    const cfg = loadConfigFromEnv({ COLLECTOR_LOG_ENDPOINT: "http://logs:9200" });
    expect(Object.keys(cfg.collectorConfigs)).toEqual(["LOG"]);
    expect(cfg.collectorConfigs.LOG?.collectorType).toBe("LOG");
  });

  it("falls back to the standard OpenTelemetry variables", () => {
    const cfg = loadConfigFromEnv({ OTEL_SERVICE_NAME: "svc", OTEL_EXPORTER_OTLP_ENDPOINT: "http://o:4318" });
    expect(cfg.serviceName).toBe("svc");
    expect(cfg.globalEndpoint).toBe("http://o:4318");
  });

  it("prefers the DMS variables over the OpenTelemetry ones", () => {
    const cfg = loadConfigFromEnv({
      SERVICE_NAME: "dms",
      OTEL_SERVICE_NAME: "svc",
      COLLECTOR_ENDPOINT: "http://a:1",
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://b:2",
    });
    expect(cfg.serviceName).toBe("dms");
    expect(cfg.globalEndpoint).toBe("http://a:1");
  });

  it("treats blank as unset, so the fallback applies and no collector is added", () => {
    const cfg = loadConfigFromEnv({
      SERVICE_NAME: "   ",
      OTEL_SERVICE_NAME: "svc",
      COLLECTOR_LOG_ENDPOINT: "",
      COLLECTOR_OPENTELEMETRY_ENDPOINT: " \t",
      OBSERVABILITY_LEVEL: " ",
    });
    expect(cfg.serviceName).toBe("svc");
    expect(cfg.collectorConfigs).toEqual({});
    expect(cfg.observabilityLevel).toBe(3);
  });

  it("warns on a bad level and keeps INFO; silent when the level is unset", () => {
    const warnings: string[] = [];
    expect(
      loadConfigFromEnv({ OBSERVABILITY_LEVEL: "warn" }, { onWarning: (w) => warnings.push(w) }),
    ).toMatchObject({
      observabilityLevel: 3,
    });
    loadConfigFromEnv({}, { onWarning: (w) => warnings.push(w) });
    expect(warnings).toHaveLength(1);
  });

  it("warns on a malformed endpoint but keeps it; strict mode refuses it", () => {
    const warnings: string[] = [];
    const env = { COLLECTOR_LOG_ENDPOINT: "not an endpoint" };
    expect(
      loadConfigFromEnv(env, { onWarning: (w) => warnings.push(w) }).collectorConfigs.LOG?.collectorEndpoint,
    ).toBe("not an endpoint");
    expect(warnings[0]).toContain("COLLECTOR_LOG_ENDPOINT");
    expect(() => loadConfigFromEnv(env, { strict: true })).toThrow(
      expect.objectContaining({ code: "ERR_TELEMETRY_INVALID_ENDPOINT", variable: "COLLECTOR_LOG_ENDPOINT" }),
    );
  });

  it("strict mode refuses a bad level with a clear error", () => {
    expect(() => loadConfigFromEnv({ OBSERVABILITY_LEVEL: "verbose" }, { strict: true })).toThrow(
      TelemetryError,
    );
    expect(() => loadConfigFromEnv({ OBSERVABILITY_LEVEL: "verbose" }, { strict: true })).toThrow(
      /use one of TRACE/,
    );
  });

  it("returns a deeply frozen result", () => {
    const cfg = loadConfigFromEnv({ COLLECTOR_LOG_ENDPOINT: "http://logs:9200" });
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(Object.isFrozen(cfg.collectorConfigs)).toBe(true);
    expect(Object.isFrozen(cfg.collectorConfigs.LOG)).toBe(true);
  });

  it("reads process.env at call time by default", () => {
    const before = process.env.SERVICE_NAME;
    process.env.SERVICE_NAME = "from-process";
    try {
      expect(loadConfigFromEnv().serviceName).toBe("from-process");
    } finally {
      if (before === undefined) delete process.env.SERVICE_NAME;
      else process.env.SERVICE_NAME = before;
    }
  });
});
