import { describe, expect, it } from "vitest";
import {
  addResources,
  bytesToGB,
  compareResources,
  equalResources,
  gbToBytes,
  hzToGHz,
  mibToBytes,
  type Resources,
  subtractResources,
  TypesError,
} from "../src/index.js";

const res = (cores: number, clock: number, ramSize: number, diskSize: number, vram?: number): Resources => ({
  cpu: { cores, clock_speed: clock },
  ram: { size: ramSize },
  disk: { size: diskSize },
  ...(vram === undefined
    ? {}
    : { gpus: [{ index: 0, vendor: "NVIDIA", pci_address: "", model: "T4", vram, uuid: "" }] }),
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

describe("Resources", () => {
  it("adds twice", () => {
    const one = res(1, 1000, 1024, 1024, 8192);
    const two = addResources(one, one);
    expect(two).toEqual(res(2, 1000, 2048, 2048, 16384));
    expect(one).toEqual(res(1, 1000, 1024, 1024, 8192));
  });

  it.each([
    ["CPU", res(1, 1, 10, 10), res(2, 1, 1, 1)],
    ["RAM", res(2, 1, 1, 10), res(1, 1, 10, 1)],
    ["Disk", res(2, 1, 10, 1), res(1, 1, 1, 10)],
    ["GPUs", res(2, 1, 10, 10, 1), res(1, 1, 1, 1, 10)],
  ])("subtract underflow names %s", (part, own, other) => {
    const e = thrown(() => subtractResources(own, other));
    expect(e.code).toBe("ERR_TYPES_UNDERFLOW");
    expect(e.message).toContain(`error subtracting ${part}: `);
  });

  it("subtract is atomic: inputs are never changed", () => {
    const own = res(4, 1, 1, 10);
    expect(() => subtractResources(own, res(1, 1, 5, 1))).toThrow(TypesError);
    expect(own).toEqual(res(4, 1, 1, 10));
  });

  it("zero vs zero is Equal", () => {
    expect(compareResources(res(0, 0, 0, 0), res(0, 0, 0, 0))).toBe("Equal");
  });

  it("compare is cpu ∧ ram ∧ disk ∧ gpus", () => {
    expect(compareResources(res(2, 1000, 1000, 1000, 1000), res(1, 500, 500, 500, 500))).toBe("Better");
    expect(compareResources(res(2, 1000, 100, 1000), res(1, 500, 500, 500))).toBe("Worse");
    expect(compareResources(res(1, 500, 500, 500), res(1, 500, 500, 500, 1))).toBe("Worse");
    const arm = { ...res(8, 1000, 1000, 1000), cpu: { cores: 8, clock_speed: 1000, architecture: "arm64" } };
    expect(compareResources(arm, res(1, 500, 500, 500))).toBe("None");
  });

  it("equal checks ram size, cores, disk size and gpus", () => {
    expect(equalResources(res(1, 1, 2, 3), res(1, 999, 2, 3))).toBe(true);
    expect(equalResources(res(1, 1, 2, 3), res(1, 1, 2, 4))).toBe(false);
    expect(equalResources(res(1, 1, 2, 3, 5), res(1, 1, 2, 3))).toBe(false);
  });

  it("unit converters", () => {
    expect(bytesToGB(100e9)).toBe(100);
    expect(gbToBytes(2)).toBe(2e9);
    expect(mibToBytes(1)).toBe(1048576);
    expect(hzToGHz(2.5e9)).toBe(2.5);
  });
});
