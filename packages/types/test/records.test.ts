import { describe, expect, it } from "vitest";
import {
  EncryptionType,
  type ExecutionResult,
  getNetworkConfig,
  isDeleted,
  levelName,
  newBaseRecord,
  newExecutionResult,
  newFailedExecutionResult,
  ObservabilityLevel,
  parseExecutionResult,
  parseNetConfig,
  parseObservabilityLevel,
  parseStorageVolume,
  parseTelemetryConfig,
  StorageVolumeTypeBind,
  softDelete,
  type TelemetryConfig,
  telemetryConfigToJSON,
  touch,
} from "../src/index.js";

describe("observability levels", () => {
  it("numbers and names", () => {
    expect(ObservabilityLevel).toEqual({ TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 });
    expect(levelName(4)).toBe("WARN");
    expect(levelName(1)).toBe("TRACE");
    expect(levelName(6)).toBe("FATAL");
    expect(levelName(99)).toBe("UNKNOWN");
    expect(levelName(0)).toBe("UNKNOWN");
    expect(levelName(2.5)).toBe("UNKNOWN");
  });

  it("parse: exact upper-case names, else INFO", () => {
    expect(parseObservabilityLevel("WARN")).toBe(4);
    expect(parseObservabilityLevel("warn")).toBe(3);
    expect(parseObservabilityLevel("")).toBe(3);
    expect(parseObservabilityLevel("toString")).toBe(3);
  });
});

describe("telemetry config", () => {
  it("reads Go names and writes them back", () => {
    const doc = {
      ServiceName: "NunetDMS",
      GlobalEndpoint: "otel-collector.telemetry.nunet.io:4318",
      ObservabilityLevel: 3,
      CollectorConfigs: { LOG: { CollectorType: "LOG", CollectorEndpoint: "http://log" } },
    };
    const cfg: TelemetryConfig = parseTelemetryConfig(doc);
    expect(cfg).toEqual({
      serviceName: "NunetDMS",
      globalEndpoint: "otel-collector.telemetry.nunet.io:4318",
      observabilityLevel: 3,
      collectorConfigs: { LOG: { collectorType: "LOG", collectorEndpoint: "http://log" } },
    });
    expect(telemetryConfigToJSON(cfg)).toEqual(doc);
  });

  it("a nil collector map reads as empty", () => {
    const cfg = parseTelemetryConfig({
      ServiceName: "",
      GlobalEndpoint: "",
      ObservabilityLevel: 1,
      CollectorConfigs: null,
    });
    expect(cfg.collectorConfigs).toEqual({});
  });
});

describe("base records", () => {
  const t0 = new Date("2024-01-01T00:00:00Z");
  const t1 = new Date("2024-01-02T00:00:00Z");

  it("new ids are uuid v4 and timestamps equal", () => {
    const a = newBaseRecord(t0);
    const b = newBaseRecord(t0);
    expect(a.ID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.ID).not.toBe(b.ID);
    expect(a.CreatedAt).toBe("2024-01-01T00:00:00.000Z");
    expect(a.UpdatedAt).toBe(a.CreatedAt);
    expect(a.DeletedAt).toBeUndefined();
  });

  it("touch and soft delete return updated copies", () => {
    const a = newBaseRecord(t0);
    const b = touch(a, t1);
    expect(b.UpdatedAt).toBe("2024-01-02T00:00:00.000Z");
    expect(a.UpdatedAt).toBe("2024-01-01T00:00:00.000Z");
    expect(isDeleted(b)).toBe(false);
    const c = softDelete(b, t1);
    expect(c.DeletedAt).toBe("2024-01-02T00:00:00.000Z");
    expect(isDeleted(c)).toBe(true);
    expect(isDeleted({ ...a, DeletedAt: "0001-01-01T00:00:00Z" })).toBe(false);
  });
});

describe("storage volume", () => {
  it("keeps Go field names and our Age encryption type", () => {
    const doc = {
      ID: "id-1",
      CreatedAt: "2024-01-01T00:00:00Z",
      UpdatedAt: "2024-01-01T00:00:00Z",
      CID: "baf222",
      Path: "/v/s3-x",
      ReadOnly: true,
      Private: true,
      EncryptionType: EncryptionType.Age,
    };
    expect(parseStorageVolume(doc)).toEqual(doc);
    expect(EncryptionType).toEqual({ Null: 0, Age: 1 });
    expect(StorageVolumeTypeBind).toBe("bind");
  });

  it("reads a Go document whose zero base fields were omitted (omitempty,omitzero), keys unchanged", () => {
    // Created and never updated: Go leaves out the zero UpdatedAt. Not stored yet: no ID, no times.
    const created = {
      ID: "id-2",
      CreatedAt: "2024-01-01T00:00:00Z",
      CID: "",
      Path: "/v/job-x",
      ReadOnly: false,
      Private: false,
      EncryptionType: 0,
    };
    const unsaved = { CID: "", Path: "/v/job-y", ReadOnly: false, Private: true, EncryptionType: 0 };
    for (const doc of [created, unsaved]) {
      const v = parseStorageVolume(doc);
      expect(v).toEqual(doc);
      expect(Object.keys(JSON.parse(JSON.stringify(v))).sort()).toEqual(Object.keys(doc).sort());
    }
    // The volume's own fields have no omitempty upstream: they are always present.
    const { Path: _path, ...noPath } = unsaved;
    expect(() => parseStorageVolume(noPath)).toThrow(/Path/);
  });
});

describe("execution results", () => {
  it("failed result has exit code -1 and the error message", () => {
    const r: ExecutionResult = newFailedExecutionResult(new Error("container exited"));
    expect(r).toEqual({ stdout: "", stderr: "", exit_code: -1, error_msg: "container exited" });
    expect(newFailedExecutionResult("plain").error_msg).toBe("plain");
    expect(newExecutionResult(0).exit_code).toBe(0);
    expect(parseExecutionResult(JSON.parse(JSON.stringify(r)))).toEqual(r);
  });
});

describe("network", () => {
  it("getNetworkConfig returns the spec", () => {
    const nc = parseNetConfig({ network_spec: { type: "libp2p", params: { port: 9000 } } });
    const spec = getNetworkConfig(nc);
    expect(spec.isType("LIBP2P")).toBe(true);
    expect(spec).toBe(nc.network_spec);
  });
});
