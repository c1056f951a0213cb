// Every row of the README's departures table, checked: the behaviour the "Here" column states, and
// the table and this file name the same rows.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  compareConnectivity,
  compareGPUs,
  compareKYCs,
  compareLibraries,
  compareLocalities,
  comparePricesInformation,
  EncryptionType,
  type GPU,
  maxFreeVRAMGPU,
  parseGPUVendor,
  parseRAM,
  parseVersion,
  type Resources,
  result,
  safeParseRAM,
  subtractHardwareCapability,
  subtractResources,
} from "../src/index.js";

const gpu = (index: number, vram: number): GPU => ({
  index,
  vendor: "NVIDIA",
  pci_address: "",
  model: "",
  vram,
  uuid: "",
});
const res = (ram: number, cores: number): Resources => ({
  cpu: { clock_speed: 1e9, cores },
  ram: { size: ram },
  disk: { size: 10 },
});

const checks: Record<string, () => void> = {
  parseGPUVendor: () => {
    expect(parseGPUVendor("Intel Corporation")).toBe("Intel");
    expect(parseGPUVendor("Advanced Micro Devices, Inc. [AMD/ATI]")).toBe("AMD/ATI");
  },
  result: () => {
    expect(result({ a: "Worse", b: "None" })).toBe("Worse");
    expect(result({ b: "None", a: "Worse" })).toBe("Worse");
    expect(result({ a: "Better", b: "None" })).toBe("None");
  },
  "compareGPUs, compareLibraries": () => {
    expect(compareGPUs([], [gpu(0, 1)])).toBe("Worse");
    expect(compareLibraries([], [{ name: "cuda", constraint: ">= 11", version: "" }])).toBe("Worse");
  },
  compareLocalities: () => {
    expect(compareLocalities([{ kind: "country", name: "DE" }], [{ kind: "region", name: "EU" }])).toBe(
      "None",
    );
  },
  compareConnectivity: () => {
    expect(compareConnectivity({ ports: null, vpn: false }, { ports: [], vpn: false })).toBe("Equal");
  },
  "compareKYCs, comparePricesInformation": () => {
    expect(compareKYCs(null, [])).toBe("Equal");
    expect(comparePricesInformation([], null)).toBe("Equal");
  },
  maxFreeVRAMGPU: () => {
    expect(maxFreeVRAMGPU([gpu(3, 0), gpu(4, 0)]).index).toBe(3);
  },
  "subtractResources, subtractHardwareCapability": () => {
    const own = res(10, 1);
    expect(() => subtractResources(own, res(5, 2))).toThrowError(
      expect.objectContaining({ code: "ERR_TYPES_UNDERFLOW" }),
    );
    expect(own).toEqual(res(10, 1));
    const cap = (r: Resources) => ({
      executor: null,
      type: null,
      resources: r,
      libraries: null,
      locality: null,
      connectivity: { ports: null, vpn: false },
      price: null,
      time: { units: "seconds", max_time: 0, preference: 0 },
      KYCs: null,
    });
    const c = cap(res(10, 1));
    expect(() => subtractHardwareCapability(c, cap(res(20, 0)))).toThrow();
    expect(c.resources).toEqual(res(10, 1));
  },
  EncryptionType: () => {
    expect(EncryptionType.Age).toBe(1);
  },
  "parse (every schema)": () => {
    expect(parseRAM({ size: 2 ** 53 - 1 }).size).toBe(2 ** 53 - 1);
    expect(safeParseRAM({ size: 2 ** 53 })).toMatchObject({ ok: false, error: { field: "size" } });
  },
  parseVersion: () => {
    expect(() => parseVersion("1.9007199254740993.0")).toThrowError(
      expect.objectContaining({ code: "ERR_TYPES_VERSION" }),
    );
  },
};

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const section = readme.slice(
  readme.indexOf("## Where this differs from upstream"),
  readme.indexOf("## Not included"),
);
const rows = section
  .split("\n")
  .filter((l) => l.startsWith("| `"))
  .map((l) => (l.split("|")[1] ?? "").trim().replaceAll("`", ""));

describe("departures from upstream (README table)", () => {
  it("the table and the checks name the same rows", () => {
    expect(rows.sort()).toEqual(Object.keys(checks).sort());
  });

  it.each(Object.keys(checks))("%s", (name) => {
    checks[name]?.();
  });
});
