import { describe, expect, it } from "vitest";
import {
  parseDeploymentRequest,
  parseExecutionRequest,
  parseGPU,
  parseHardwareCapability,
  parseResources,
  parseStorageVolume,
  parseTelemetryConfig,
  safeParseGPU,
  TypesError,
} from "../src/index.js";

const gpu = {
  index: 0,
  vendor: "NVIDIA",
  pci_address: "0000:01:00.0",
  model: "T4",
  vram: 16e9,
  uuid: "GPU-1",
};
const resources = {
  cpu: { clock_speed: 3e9, cores: 4 },
  ram: { size: 8e9 },
  disk: { size: 1e11 },
  gpus: [gpu],
};
const volume = {
  ID: "7d4c8a8e-0a4e-4f2e-9d3a-1f6f1c1b2a3d",
  CreatedAt: "2024-05-01T10:00:00.123456789Z",
  UpdatedAt: "2024-05-01T10:00:00Z",
  CID: "",
  Path: "/home/.nunet/volumes/s3-abc",
  ReadOnly: false,
  Private: false,
  EncryptionType: 0,
};

function failure(f: () => unknown): TypesError {
  try {
    f();
  } catch (e) {
    if (e instanceof TypesError) return e;
    throw e;
  }
  throw new Error("expected a TypesError");
}

describe("bad documents give ERR_TYPES_INVALID and the first bad path", () => {
  it.each([
    ["GPU vram as a string", () => parseGPU({ ...gpu, vram: "16" }), "vram", "expected number"],
    ["GPU vendor as a number", () => parseGPU({ ...gpu, vendor: 3 }), "vendor", "expected string"],
    ["GPU negative vram", () => parseGPU({ ...gpu, vram: -1 }), "vram", "expected number >= 0"],
    ["GPU vram above 2^53", () => parseGPU({ ...gpu, vram: 2 ** 64 }), "vram", "expected a safe integer"],
    ["GPU fractional index", () => parseGPU({ ...gpu, index: 1.5 }), "index", "expected int"],
    [
      "GPU missing pci_address",
      () => parseGPU({ ...gpu, pci_address: undefined }),
      "pci_address",
      "expected string",
    ],
    [
      "nested GPU",
      () => parseResources({ ...resources, gpus: [gpu, { ...gpu, vram: null }] }),
      "gpus[1].vram",
      "expected number",
    ],
    [
      "CPU cores",
      () => parseResources({ ...resources, cpu: { clock_speed: 1 } }),
      "cpu.cores",
      "expected number",
    ],
    ["volume time", () => parseStorageVolume({ ...volume, CreatedAt: "yesterday" }), "CreatedAt", "RFC 3339"],
    [
      "volume encryption",
      () => parseStorageVolume({ ...volume, EncryptionType: 7 }),
      "EncryptionType",
      "expected one of 0, 1",
    ],
    [
      "execution input",
      () =>
        parseExecutionRequest({
          JobID: "j",
          ExecutionID: "e",
          EngineSpec: { type: "docker" },
          Resources: null,
          Inputs: [{ type: "bind", source: "/a", target: "/b", readonly: "yes" }],
          Outputs: null,
          ResultsDir: "/r",
        }),
      "Inputs[0].readonly",
      "expected boolean",
    ],
    [
      "capability executor not a string",
      () =>
        parseHardwareCapability({
          executor: [1],
          type: null,
          resources,
          libraries: null,
          locality: null,
          connectivity: { ports: null, vpn: false },
          price: null,
          time: { units: "hours", max_time: 1, preference: 0 },
          KYCs: null,
        }),
      "executor[0]",
      "expected string",
    ],
    ["deployment without fields", () => parseDeploymentRequest({}), "address_user", "expected string"],
    [
      "telemetry level",
      () =>
        parseTelemetryConfig({
          ServiceName: "s",
          GlobalEndpoint: "",
          ObservabilityLevel: "INFO",
          CollectorConfigs: {},
        }),
      "ObservabilityLevel",
      "expected number",
    ],
    ["root array", () => parseGPU([]), "", "expected object"],
  ])("%s", (_name, f, path, text) => {
    const e = failure(f);
    expect(e.code).toBe("ERR_TYPES_INVALID");
    expect(e.name).toBe("TypesError");
    expect(e.field).toBe(path);
    expect(e.message).toContain(text);
    if (path !== "") expect(e.message).toContain(`"${path}"`);
    expect(e.cause).toBeDefined();
  });

  it("safeParse returns the same error instead of throwing", () => {
    const r = safeParseGPU({ ...gpu, vram: "16" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.field).toBe("vram");
    const ok = safeParseGPU(gpu);
    expect(ok).toEqual({ ok: true, value: gpu });
  });
});

describe("Go documents", () => {
  it("a Go-produced resources document parses unchanged and keeps its keys", () => {
    const doc = {
      cpu: {
        clock_speed: 3200000000,
        cores: 8,
        model: "AMD Ryzen 7",
        architecture: "x86_64",
        cache_size: 33554432,
      },
      gpus: [
        {
          index: 0,
          vendor: "AMD/ATI",
          pci_address: "0000:03:00.0",
          model: "RX 6800",
          vram: 17163091968,
          uuid: "",
        },
      ],
      ram: { size: 33554432000, clock_speed: 3200000000, type: "DDR4" },
      disk: { size: 500107862016, type: "NVMe", read_speed: 3500000000 },
    };
    const v = parseResources(doc);
    expect(v).toEqual(doc);
    expect(JSON.stringify(v)).toBe(JSON.stringify(doc));
  });

  it("unknown keys are dropped, as Go's json.Unmarshal ignores them", () => {
    const v = parseGPU({ ...gpu, extra: true });
    expect(v).toEqual(gpu);
    expect(Object.keys(v)).not.toContain("extra");
  });
});
