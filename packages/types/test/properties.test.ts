import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as types from "../src/index.js";
import {
  addResources,
  compareGPUs,
  compareHardwareCapability,
  compareResources,
  equalGPUs,
  HardwareCapabilitySchema,
  type Resources,
  ResourcesSchema,
  subtractResources,
} from "../src/index.js";
import { arbitraryFor } from "./arbitrary.js";

// Cores in hundredths so 2-decimal rounding is exact; sizes small enough that sums stay safe.
const resources: fc.Arbitrary<Resources> = fc.record({
  cpu: fc.record({ cores: fc.integer({ min: 0, max: 12800 }).map((n) => n / 100), clock_speed: fc.nat(5e9) }),
  ram: fc.record({ size: fc.nat(2 ** 40) }),
  disk: fc.record({ size: fc.nat(2 ** 44) }),
  gpus: fc.array(
    fc.record({
      index: fc.nat(8),
      vendor: fc.constantFrom("NVIDIA", "AMD/ATI", "Intel", "Unknown", "None" as const),
      pci_address: fc.string({ maxLength: 4 }),
      model: fc.string({ maxLength: 4 }),
      vram: fc.nat(2 ** 36),
      uuid: fc.string({ maxLength: 4 }),
    }),
    { maxLength: 3 },
  ),
});

describe("arithmetic and comparison properties", () => {
  it("subtract undoes add", () => {
    fc.assert(
      fc.property(resources, resources, (a, b) => {
        const back = subtractResources(addResources(a, b), b);
        expect(back.ram.size).toBe(a.ram.size);
        expect(back.disk.size).toBe(a.disk.size);
        expect(back.cpu.cores).toBe(a.cpu.cores);
        expect(back.gpus?.map((g) => g.vram)).toEqual(a.gpus?.map((g) => g.vram));
      }),
    );
  });

  it("a value compares Equal with itself", () => {
    fc.assert(
      fc.property(resources, (r) => {
        expect(compareResources(r, r)).toBe("Equal");
        expect(compareGPUs(r.gpus, [...(r.gpus ?? [])].reverse())).toBe("Equal");
        expect(equalGPUs(r.gpus, [...(r.gpus ?? [])].reverse())).toBe(true);
      }),
    );
  });

  it("after adding, the sum is never Worse than either part", () => {
    fc.assert(
      fc.property(resources, resources, (a, b) => {
        const sum = addResources(a, { ...b, gpus: [] });
        expect(compareResources(sum, { ...a, gpus: [] })).not.toBe("Worse");
      }),
    );
  });

  it("capabilities compare to one of the four values, and Equal with themselves", () => {
    const caps = arbitraryFor(HardwareCapabilitySchema).map((d) => ({
      ...types.parse(HardwareCapabilitySchema, d),
      libraries: null,
    }));
    fc.assert(
      fc.property(caps, caps, (a, b) => {
        expect(["Worse", "Better", "Equal", "None"]).toContain(compareHardwareCapability(a, b));
        expect(compareHardwareCapability(a, a)).toBe("Equal");
      }),
      { numRuns: 50 },
    );
  });

  it("resources documents parse to themselves", () => {
    fc.assert(
      fc.property(resources, (r) => {
        expect(types.parse(ResourcesSchema, r)).toEqual(r);
      }),
    );
  });
});

describe("public surface", () => {
  const parsers = Object.keys(types).filter(
    (k) => /^parse[A-Z]/.test(k) && `safeP${k.slice(1)}` in types,
  ) as (keyof typeof types)[];

  it("has a parser pair for the main wire types", () => {
    expect(parsers.length).toBeGreaterThan(35);
  });

  it.each(parsers)("%s rejects bad input with ERR_TYPES_INVALID; its safe twin does not throw", (name) => {
    const all: Record<string, unknown> = { ...types };
    const parseFn = all[name] as (x: unknown) => unknown;
    const safeFn = all[`safeP${String(name).slice(1)}`] as (x: unknown) => types.ParseResult<unknown>;
    for (const bad of [42, "x", null, [], true]) {
      expect(() => parseFn(bad)).toThrowError(expect.objectContaining({ code: "ERR_TYPES_INVALID" }));
      const r = safeFn(bad);
      expect(r.ok).toBe(false);
    }
  });

  it("keeps internals private", () => {
    for (const k of ["bestMatch", "compareSets", "goInt", "goTime", "round", "parsers"]) {
      expect(k in types).toBe(false);
    }
  });
});
