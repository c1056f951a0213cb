import { describe, expect, it } from "vitest";
import { levelName, parseObservabilityLevel, TelemetryError } from "../src/index.js";

describe("parseObservabilityLevel", () => {
  it.each([
    ["TRACE", 1],
    ["DEBUG", 2],
    ["INFO", 3],
    ["WARN", 4],
    ["ERROR", 5],
    ["FATAL", 6],
  ])("maps %s to %i without a warning", (name, n) => {
    const warnings: string[] = [];
    expect(parseObservabilityLevel(name, { onWarning: (w) => warnings.push(w) })).toBe(n);
    expect(warnings).toEqual([]);
  });

  it.each(["warn", "", " INFO", "INFO ", "7", "Trace", "toString", "__proto__", "constructor"])(
    "maps %j to INFO with one warning, never a throw",
    (value) => {
      const warnings: string[] = [];
      expect(parseObservabilityLevel(value, { onWarning: (w) => warnings.push(w) })).toBe(3);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain("OBSERVABILITY_LEVEL");
      expect(warnings[0]).toContain("TRACE, DEBUG, INFO, WARN, ERROR, FATAL");
    },
  );

  it("works without a warning callback", () => {
    expect(parseObservabilityLevel("nope")).toBe(3);
  });

  it("throws a coded error in strict mode", () => {
    expect.assertions(3);
    try {
      parseObservabilityLevel("warn", { strict: true });
    } catch (e) {
      expect(e).toBeInstanceOf(TelemetryError);
      expect((e as TelemetryError).code).toBe("ERR_TELEMETRY_INVALID_LEVEL");
      expect((e as TelemetryError).variable).toBe("OBSERVABILITY_LEVEL");
    }
  });

  it("names levels back, UNKNOWN outside 1..6", () => {
    expect(levelName(4)).toBe("WARN");
    expect(levelName(99)).toBe("UNKNOWN");
    expect(levelName(0)).toBe("UNKNOWN");
  });
});
