// Both eras of the hardware and resource shapes: the seed's (Go field names, one `model` tag) and the
// newer tagged ones parse to the same value; writing gives the tagged shape, or the seed's on request.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareResources,
  cpuToJSON,
  diskToJSON,
  gpuToJSON,
  parseCPU,
  parseDisk,
  parseGPU,
  parseRAM,
  parseResources,
  ramToJSON,
  resourcesToJSON,
  SeedCPUSchema,
  SeedResourcesSchema,
  safeParseGPU,
  subtractResources,
} from "../src/index.js";
import { arbitraryFor } from "./arbitrary.js";

const seedGPU = {
  Index: 0,
  Name: "Tesla T4",
  Vendor: "NVIDIA",
  PCIAddress: "0000:3b:00.0",
  model: "T4",
  TotalVRAM: 16_000_000_000,
  UsedVRAM: 1_000_000_000,
  FreeVRAM: 15_000_000_000,
  ResourceID: 3,
};
const seedCPU = {
  Model: "AMD Ryzen 9 5900X",
  Vendor: "AMD",
  ClockSpeedHz: 3_700_000_000,
  Cores: 12,
  Threads: 24,
  Architecture: "x86_64",
  CacheSize: 0,
};
const seedRAM = { Size: 32_000_000_000, ClockSpeedHz: 0, Type: "DDR4" };
const seedDisk = {
  Model: "",
  Vendor: "",
  Size: 500_000_000_000,
  Type: "SSD",
  Interface: "",
  ReadSpeed: 0,
  WriteSpeed: 0,
};
const seedResources = { cpu: seedCPU, memory: seedRAM, disk: seedDisk, gpus: [seedGPU] };

describe("seed-era documents", () => {
  it("GPU: reads the seed shape, writes the tagged one by default and the seed one on request", () => {
    const g = parseGPU(seedGPU);
    expect(gpuToJSON(g)).toEqual({
      index: 0,
      vendor: "NVIDIA",
      pci_address: "0000:3b:00.0",
      model: "T4",
      vram: 16_000_000_000,
      uuid: "",
    });
    expect(gpuToJSON(g, { era: "seed" })).toEqual(seedGPU);
    expect(JSON.parse(JSON.stringify(g))).toEqual(gpuToJSON(g));
  });

  it("CPU, RAM, disk: the same both ways; omitempty fields left out of the tagged shape", () => {
    expect(cpuToJSON(parseCPU(seedCPU))).toEqual({
      clock_speed: 3_700_000_000,
      cores: 12,
      model: "AMD Ryzen 9 5900X",
      vendor: "AMD",
      threads: 24,
      architecture: "x86_64",
    });
    expect(cpuToJSON(parseCPU(seedCPU), { era: "seed" })).toEqual(seedCPU);
    expect(ramToJSON(parseRAM(seedRAM))).toEqual({ size: 32_000_000_000, type: "DDR4" });
    expect(ramToJSON(parseRAM(seedRAM), { era: "seed" })).toEqual(seedRAM);
    expect(diskToJSON(parseDisk(seedDisk))).toEqual({ size: 500_000_000_000, type: "SSD" });
    expect(diskToJSON(parseDisk(seedDisk), { era: "seed" })).toEqual(seedDisk);
  });

  it("Resources: seed `memory` is `ram`; compares and subtracts as its tagged twin", () => {
    const r = parseResources(seedResources);
    expect(resourcesToJSON(r, { era: "seed" })).toEqual(seedResources);
    const tagged = parseResources(resourcesToJSON(r));
    expect(compareResources(r, tagged)).toBe("Equal");
    expect(subtractResources(r, tagged).ram.size).toBe(0);
  });

  it("a seed document with a bad field names the field and the shape", () => {
    const r = safeParseGPU({ ...seedGPU, TotalVRAM: -1 });
    expect(r).toMatchObject({ ok: false, error: { code: "ERR_TYPES_INVALID", field: "TotalVRAM" } });
    expect(r.ok ? "" : r.error.message).toContain("seed shape");
  });

  it("tagged documents still parse as before", () => {
    const doc = { index: 1, vendor: "", pci_address: "", model: "", vram: 0, uuid: "u" };
    expect(gpuToJSON(parseGPU(doc))).toEqual(doc);
  });

  it("fractional cores have no seed form (a Go int)", () => {
    const c = parseCPU({ clock_speed: 1e9, cores: 1.5 });
    expect(() => cpuToJSON(c, { era: "seed" })).toThrowError(
      expect.objectContaining({ code: "ERR_TYPES_INVALID", field: "cores" }),
    );
  });

  it("property: any seed CPU or resources document comes back unchanged from the seed writer", () => {
    fc.assert(
      fc.property(arbitraryFor(SeedCPUSchema), (doc) => {
        expect(cpuToJSON(parseCPU(doc), { era: "seed" })).toEqual(doc);
      }),
    );
    fc.assert(
      fc.property(arbitraryFor(SeedResourcesSchema), (doc) => {
        const back = resourcesToJSON(parseResources(doc), { era: "seed" }) as Record<string, unknown>;
        // Go omits an empty `gpus` (omitempty): [] and absent are the same document to Go.
        const want = { ...(doc as Record<string, unknown>) };
        if (Array.isArray(want.gpus) && want.gpus.length === 0) delete want.gpus;
        expect(back).toEqual(want);
      }),
    );
  });
});
