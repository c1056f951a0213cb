import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import * as types from "../src/index.js";
import { parse, type TelemetryConfig, TelemetryConfigSchema, telemetryConfigToJSON } from "../src/index.js";
import { arbitraryFor, keyShape } from "./arbitrary.js";

const schemas: [string, z.ZodType][] = [];
for (const [name, v] of Object.entries(types as Record<string, unknown>)) {
  if (name.endsWith("Schema") && typeof v === "object" && v !== null && "safeParse" in v) {
    schemas.push([name, v as z.ZodType]);
  }
}

// Schemas whose params are free-form JSON: the value stays as sent, and the key check stops there.
const serialize = (schema: z.ZodType, value: unknown): unknown =>
  schema === TelemetryConfigSchema
    ? telemetryConfigToJSON(value as TelemetryConfig)
    : JSON.parse(JSON.stringify(value));

describe("every wire schema round-trips", () => {
  it("finds the schemas", () => {
    expect(schemas.length).toBeGreaterThan(60);
  });

  it.each(schemas)("%s", (name, schema) => {
    fc.assert(
      fc.property(arbitraryFor(schema), (doc) => {
        const value = parse(schema, doc, name);
        const wire = serialize(schema, value);
        const again = parse(schema, JSON.parse(JSON.stringify(wire)), name);
        expect(again).toEqual(value);
        expect(keyShape(wire)).toEqual(keyShape(doc));
      }),
      { numRuns: 40 },
    );
  });

  // As Go would keep them: a document comes back byte-for-byte as JSON, so `null` stays `null`, `[]`
  // stays `[]` and an absent key stays absent (Go's DeepEqual after Unmarshal tells all three apart
  // where the field has no omitempty).
  it.each(schemas)("%s: null, [] and absent survive", (name, schema) => {
    fc.assert(
      fc.property(arbitraryFor(schema), (doc) => {
        const sent = JSON.parse(JSON.stringify(doc));
        expect(JSON.parse(JSON.stringify(serialize(schema, parse(schema, sent, name))))).toStrictEqual(sent);
      }),
      { numRuns: 40 },
    );
  });

  it.each(schemas)("%s rejects a non-object at the root", (name, schema) => {
    const r = types.safeParse(schema, Symbol("x"), name);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("ERR_TYPES_INVALID");
      expect(r.error.field).toBe("");
      expect(r.error.message).toContain(name);
    }
  });
});
