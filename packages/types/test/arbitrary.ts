// Test helper: builds a fast-check arbitrary of valid wire documents from a zod schema, so every
// exported schema gets a round-trip property without a hand-written generator per type.
import fc from "fast-check";
import type { z } from "zod";
import { SpecConfigWireSchema, TelemetryConfigWireSchema } from "../src/index.js";

type Def = {
  type: string;
  format?: string;
  checks?: { _zod: { def: { check: string; value: number; inclusive?: boolean } } }[];
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string>;
  values?: unknown[];
  in?: z.ZodType;
};

const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

const key = fc.string({ maxLength: 8 }).filter((k) => k !== "__proto__");
const json = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const time = fc
  .tuple(
    fc.date({
      min: new Date("0001-01-01T00:00:00Z"),
      max: new Date("9999-12-31T23:59:59Z"),
      noInvalidDate: true,
    }),
    fc.constantFrom("ms", "nanos", "offset", "whole"),
  )
  .map(([d, style]) => {
    const iso = d.toISOString();
    if (style === "nanos") return iso.replace("Z", "123456Z");
    if (style === "offset") return iso.replace("Z", "+05:30");
    if (style === "whole") return iso.replace(/\.\d+Z$/, "Z");
    return iso;
  });

function numberArb(d: Def): fc.Arbitrary<number> {
  let min = -Number.MAX_SAFE_INTEGER;
  let max = Number.MAX_SAFE_INTEGER;
  for (const c of d.checks ?? []) {
    const cd = c._zod.def;
    if (cd.check === "greater_than") min = cd.value;
    if (cd.check === "less_than") max = cd.value;
  }
  if (d.format === "safeint" || d.format === "int32") {
    return fc.oneof(
      fc.integer({ min: Math.max(min, -1000), max: Math.min(max, 1000) }),
      fc.integer({ min, max }),
    );
  }
  return fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x));
}

/** A valid wire document for `schema`. Nested spec configs get absent or non-empty params. */
export function arbitraryFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  const d = defOf(schema);
  switch (d.type) {
    case "string":
      if (d.format === "datetime") return time;
      if (d.format === "base64")
        return fc.uint8Array({ maxLength: 16 }).map((b) => Buffer.from(b).toString("base64"));
      return fc.string({ maxLength: 12 });
    case "number":
      return numberArb(d);
    case "boolean":
      return fc.boolean();
    case "unknown":
      return json;
    case "enum":
      return fc.constantFrom(...Object.values(d.entries ?? {}));
    case "literal":
      return fc.constantFrom(...(d.values ?? []));
    case "union":
      return fc.oneof(...(d.options ?? []).map(arbitraryFor));
    case "nullable":
      return fc.option(arbitraryFor(d.innerType as z.ZodType), { nil: null });
    case "optional":
      return fc.option(arbitraryFor(d.innerType as z.ZodType), { nil: undefined });
    case "array":
      return fc.array(arbitraryFor(d.element as z.ZodType), { maxLength: 3 });
    case "record":
      return fc.dictionary(key, arbitraryFor(d.valueType as z.ZodType), { maxKeys: 3 });
    case "pipe":
      if (d.in === SpecConfigWireSchema) {
        return fc.record(
          { type: fc.string({ maxLength: 8 }), params: fc.dictionary(key, json, { minKeys: 1, maxKeys: 3 }) },
          { requiredKeys: ["type"] },
        );
      }
      if (d.in === TelemetryConfigWireSchema) {
        const shape = { ...(d.in as unknown as { shape: Record<string, z.ZodType> }).shape };
        const cc = defOf(shape.CollectorConfigs as z.ZodType).innerType as z.ZodType;
        return arbitraryFor(d.in as z.ZodType).chain((w) =>
          arbitraryFor(cc).map((c) => ({ ...(w as object), CollectorConfigs: c })),
        );
      }
      return arbitraryFor(d.in as z.ZodType);
    case "object": {
      const parts: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(d.shape ?? {})) parts[k] = arbitraryFor(v);
      // Optional keys that come out undefined are dropped, as Go's omitempty drops them.
      return fc
        .record(parts)
        .map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
    }
    default:
      throw new Error(`no arbitrary for zod type ${d.type}`);
  }
}

/** The key structure of a JSON value: objects → sorted keys with their shapes, arrays → element shapes. */
export function keyShape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(keyShape);
  if (v !== null && typeof v === "object") {
    return Object.keys(v)
      .sort()
      .map((k) => [k, keyShape((v as Record<string, unknown>)[k])]);
  }
  return null;
}
