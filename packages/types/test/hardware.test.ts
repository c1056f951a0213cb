import { describe, expect, it } from "vitest";
import {
  addCPU,
  addDisk,
  addGPU,
  addGPUs,
  addRAM,
  type CPU,
  compareCPU,
  compareDisk,
  compareGPU,
  compareGPUs,
  compareGPUVendor,
  compareRAM,
  copyGPUs,
  cpuClockSpeedInGHz,
  cpuCompute,
  cpuComputeInGHz,
  type Disk,
  equalGPU,
  equalGPUs,
  type GPU,
  getGPUWithIndex,
  maxFreeVRAMGPU,
  parseGPUVendor,
  type RAM,
  sizeInGB,
  subtractCPU,
  subtractDisk,
  subtractGPU,
  subtractGPUs,
  subtractRAM,
  TypesError,
} from "../src/index.js";

const cpu = (cores: number, clock: number, extra: Partial<CPU> = {}): CPU => ({
  cores,
  clock_speed: clock,
  ...extra,
});
const ram = (size: number): RAM => ({ size });
const disk = (size: number): Disk => ({ size });
const gpu = (vram: number, extra: Partial<GPU> = {}): GPU => ({
  index: 0,
  vendor: "NVIDIA",
  pci_address: "0000:01:00.0",
  model: "Tesla T4",
  vram,
  uuid: "GPU-1",
  ...extra,
});

function thrown(f: () => unknown): TypesError {
  try {
    f();
  } catch (e) {
    if (e instanceof TypesError) return e;
    throw e;
  }
  throw new Error("expected a TypesError");
}

describe("CPU", () => {
  it("compares cores × clock", () => {
    expect(compareCPU(cpu(2, 1000), cpu(2, 1000))).toBe("Equal");
    expect(compareCPU(cpu(2, 1000), cpu(1, 1000))).toBe("Better");
    expect(compareCPU(cpu(1, 1000), cpu(2, 1000))).toBe("Worse");
  });

  it("is None across architectures; absent and empty architecture are equal", () => {
    expect(
      compareCPU(cpu(4, 1000, { architecture: "arm64" }), cpu(1, 1000, { architecture: "x86_64" })),
    ).toBe("None");
    expect(compareCPU(cpu(2, 1000, { architecture: "" }), cpu(2, 1000))).toBe("Equal");
  });

  it("adds cores, keeps the clock, rounds to 2 decimals", () => {
    expect(addCPU(cpu(2, 1000), cpu(1, 1000))).toEqual(cpu(3, 1000));
    expect(addCPU(cpu(0.1, 5), cpu(0.2, 7)).cores).toBe(0.3);
    const a = cpu(2, 1000);
    addCPU(a, cpu(1, 1));
    expect(a.cores).toBe(2);
  });

  it("subtract underflow", () => {
    const e = thrown(() => subtractCPU(cpu(1, 1000), cpu(2, 1000)));
    expect(e.code).toBe("ERR_TYPES_UNDERFLOW");
    expect(e.message).toBe("core: underflow, cannot subtract 2 from 1");
    expect(subtractCPU(cpu(2.5, 1000), cpu(1.25, 1000)).cores).toBe(1.25);
  });

  it("underflow message prints cores as Go's %v prints a float32", () => {
    expect(thrown(() => subtractCPU(cpu(1 / 3, 1), cpu(0.5, 1))).message).toBe(
      "core: underflow, cannot subtract 0.5 from 0.33333334",
    );
    expect(thrown(() => subtractCPU(cpu(2, 1), cpu(1e6, 1))).message).toBe(
      "core: underflow, cannot subtract 1e+06 from 2",
    );
    expect(thrown(() => subtractCPU(cpu(0.00001, 1), cpu(0.5, 1))).message).toBe(
      "core: underflow, cannot subtract 0.5 from 1e-05",
    );
  });

  it("units", () => {
    expect(cpuClockSpeedInGHz(cpu(1, 1e9))).toBe(1);
    expect(cpuCompute(cpu(2, 1000))).toBe(2000);
    expect(cpuComputeInGHz(cpu(2, 1.5e9))).toBe(3);
  });
});

describe("RAM and Disk", () => {
  it("compare by size", () => {
    expect(compareRAM(ram(1024), ram(512))).toBe("Better");
    expect(compareDisk(disk(1024), disk(512))).toBe("Better");
    expect(compareRAM(ram(512), ram(1024))).toBe("Worse");
    expect(compareDisk(disk(512), disk(512))).toBe("Equal");
  });

  it("add and subtract", () => {
    expect(addRAM(ram(1024), ram(512)).size).toBe(1536);
    expect(addDisk(disk(1024), disk(512)).size).toBe(1536);
    expect(subtractRAM(ram(1024), ram(512)).size).toBe(512);
    expect(subtractDisk(disk(1024), disk(1024)).size).toBe(0);
  });

  it("subtract underflow", () => {
    for (const f of [() => subtractRAM(ram(512), ram(1024)), () => subtractDisk(disk(512), disk(1024))]) {
      const e = thrown(f);
      expect(e.code).toBe("ERR_TYPES_UNDERFLOW");
      expect(e.message).toBe("size: underflow, cannot subtract 1024 from 512");
    }
  });

  it("size in GB", () => {
    expect(sizeInGB(ram(100e9))).toBe(100);
    expect(sizeInGB(disk(1.5e9))).toBe(1);
  });
});

describe("GPU vendor", () => {
  it.each([
    ["some NVIDIA Corporation gpu", "NVIDIA"],
    ["a amd gpu with some other words", "AMD/ATI"],
    ["intel gpu", "Intel"],
    ["some gpu with ati in the name", "AMD/ATI"],
    ["some other gpu", "Unknown"],
    ["Advanced Micro Devices, Inc. [AMD/ATI]", "AMD/ATI"],
    ["ATI Technologies Inc", "AMD/ATI"],
    ["Radeon RX 6800", "AMD/ATI"],
    ["AMDGPU", "AMD/ATI"],
  ] as const)("parse %j → %s", (s, want) => {
    expect(parseGPUVendor(s)).toBe(want);
  });

  it('fixes upstream\'s "Intel Corporation" → AMD/ATI bug', () => {
    expect(parseGPUVendor("Intel Corporation")).toBe("Intel");
    expect(parseGPUVendor("INTEL CORPORATION UHD Graphics")).toBe("Intel");
  });

  it("compares Equal or None", () => {
    expect(compareGPUVendor("NVIDIA", "Intel")).toBe("None");
    expect(compareGPUVendor("Intel", "Intel")).toBe("Equal");
  });
});

describe("GPU", () => {
  it("compares VRAM only", () => {
    expect(compareGPU(gpu(16384), gpu(16384, { model: "A100", index: 3, vendor: "AMD/ATI" }))).toBe("Equal");
    expect(compareGPU(gpu(8450), gpu(16384))).toBe("Worse");
    expect(compareGPU(gpu(16384), gpu(8192))).toBe("Better");
  });

  it("same rules for one-element lists", () => {
    expect(compareGPUs([gpu(16384)], [gpu(16384, { model: "x" })])).toBe("Equal");
    expect(compareGPUs([gpu(8450)], [gpu(16384)])).toBe("Worse");
    expect(compareGPUs([gpu(16384)], [gpu(8192)])).toBe("Better");
  });

  it("lists: best match per required GPU; nothing required → Equal", () => {
    expect(compareGPUs([gpu(8192), gpu(16384)], [gpu(16384)])).toBe("Equal");
    expect(compareGPUs([gpu(8192), gpu(32768)], [gpu(16384), gpu(8192)])).toBe("Better");
    expect(compareGPUs([gpu(8192)], [])).toBe("Equal");
    expect(compareGPUs(null, null)).toBe("Equal");
  });

  it("decision: a required GPU with no own GPU left is Worse (upstream said Better)", () => {
    expect(compareGPUs([], [gpu(1)])).toBe("Worse");
    expect(compareGPUs([gpu(16384)], [gpu(16384), gpu(16384)])).toBe("Worse");
  });

  it("add and subtract", () => {
    expect(addGPU(gpu(16384), gpu(8192)).vram).toBe(24576);
    expect(subtractGPU(gpu(16384), gpu(8192)).vram).toBe(8192);
    const e = thrown(() => subtractGPU(gpu(8192), gpu(16384)));
    expect(e.code).toBe("ERR_TYPES_UNDERFLOW");
    expect(e.message).toBe("total VRAM: underflow, cannot subtract 16384 from 8192");
  });

  it("list add/subtract by index, only for own GPUs", () => {
    const own = [gpu(100, { index: 0 }), gpu(200, { index: 1, model: "A100" })];
    expect(addGPUs(own, [gpu(5, { index: 1 }), gpu(7, { index: 9 })]).map((g) => g.vram)).toEqual([100, 205]);
    expect(subtractGPUs(own, [gpu(50, { index: 0 })]).map((g) => g.vram)).toEqual([50, 200]);
    const e = thrown(() => subtractGPUs(own, [gpu(500, { index: 1 })]));
    expect(e.code).toBe("ERR_TYPES_UNDERFLOW");
    expect(e.message).toBe(
      "failed to subtract GPU A100: total VRAM: underflow, cannot subtract 500 from 200",
    );
    expect(own[1]?.vram).toBe(200);
  });

  it("equal ignores UUID but not index or PCI address", () => {
    expect(equalGPU(gpu(1), gpu(1, { uuid: "other" }))).toBe(true);
    expect(equalGPU(gpu(1), gpu(1, { index: 1 }))).toBe(false);
    expect(equalGPU(gpu(1), gpu(1, { pci_address: "0000:02:00.0" }))).toBe(false);
  });

  it("list equality ignores order; length mismatch is false", () => {
    const a = gpu(1, { index: 0 });
    const b = gpu(2, { index: 1 });
    expect(equalGPUs([a, b], [b, a])).toBe(true);
    expect(equalGPUs([a, b], [a])).toBe(false);
    expect(equalGPUs([a, a], [a, b])).toBe(false);
    expect(equalGPUs(null, [])).toBe(true);
  });

  it("copy, max free VRAM, get by index", () => {
    const list = [gpu(1, { index: 0 }), gpu(9, { index: 1 }), gpu(9, { index: 2 })];
    const c = copyGPUs(list);
    expect(c).toEqual(list);
    expect(c[0]).not.toBe(list[0]);
    expect(maxFreeVRAMGPU(list).index).toBe(1);
    expect(getGPUWithIndex(list, 2).vram).toBe(9);
    expect(thrown(() => maxFreeVRAMGPU([]))).toMatchObject({
      code: "ERR_TYPES_NOT_FOUND",
      message: "no GPUs found",
    });
    expect(thrown(() => getGPUWithIndex(list, 7))).toMatchObject({
      code: "ERR_TYPES_NOT_FOUND",
      message: "GPU with index 7 not found",
    });
  });
});
