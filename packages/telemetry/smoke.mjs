import { loadConfigFromEnv } from "@dms/telemetry";

const cfg = loadConfigFromEnv({ OBSERVABILITY_LEVEL: "WARN", COLLECTOR_LOG_ENDPOINT: "http://logs:9200" });
if (cfg.observabilityLevel !== 4 || cfg.collectorConfigs.LOG?.collectorType !== "LOG") process.exit(1);
console.log(`ok: level ${cfg.observabilityLevel}, collectors ${Object.keys(cfg.collectorConfigs).join(",")}`);
