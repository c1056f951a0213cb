// Documents shaped as Go nodes write them (from the upstream struct definitions), which the package
// used to refuse: gorm's `"DeletedAt": null`, open string enums, and nil slices marshalled as null.
import { describe, expect, it } from "vitest";
import {
  ExecutorType,
  GPUVendor,
  isDeleted,
  parseAvailableResources,
  parseDeploymentRequestFlat,
  parseFreeResources,
  parseGPU,
  parseHardwareCapability,
  parseMachine,
  parseServices,
} from "../src/index.js";

const base = {
  ID: "5b9a1b4e-4f0c-4a57-9a55-7d1c1f1c2b11",
  CreatedAt: "2023-05-01T10:00:00Z",
  UpdatedAt: "2023-05-01T10:00:00Z",
};
const live = { ...base, DeletedAt: null };
const roundTrip = (v: unknown) => JSON.parse(JSON.stringify(v));

describe("gorm-era records (DeletedAt null for a live record)", () => {
  it.each([
    [
      "FreeResources",
      parseFreeResources,
      {
        ...live,
        tot_cpu_hz: 8000,
        price_cpu: 0,
        ram: 4096,
        price_ram: 0,
        vcpu: 4,
        disk: 100.5,
        price_disk: 0,
        ntx_price: 0.1,
      },
    ],
    [
      "Machine",
      parseMachine,
      {
        ...live,
        NodeId: "12D3KooW",
        PeerInfo: 1,
        IpAddr: "10.0.0.2",
        AvailableResources: 1,
        FreeResources: 1,
        TokenomicsAddress: "addr",
        TokenomicsBlockchain: "cardano",
      },
    ],
    [
      "AvailableResources",
      parseAvailableResources,
      {
        ...live,
        TotCpuHz: 8000,
        CpuNo: 4,
        CpuHz: 2000,
        PriceCpu: 0,
        Ram: 4096,
        PriceRam: 0,
        Vcpu: 4,
        Disk: 100,
        PriceDisk: 0,
        NTXPricePerMinute: 0,
      },
    ],
    [
      "DeploymentRequestFlat",
      parseDeploymentRequestFlat,
      { ...live, deployment_request: "{}", job_status: "running" },
    ],
  ])("%s parses and round-trips with null kept", (_name, parse, doc) => {
    const v = (parse as (j: unknown) => unknown)(doc);
    expect(roundTrip(v)).toEqual(doc);
    expect(isDeleted(v as { DeletedAt: null } & typeof base)).toBe(false);
  });

  it("Services parses and round-trips with null kept", () => {
    const doc = {
      ...live,
      TxHash: "",
      TransactionType: "",
      JobStatus: "",
      ServiceName: "",
      ContainerID: "",
      ImageID: "",
      LogURL: "",
      ServiceProviderAddr: "",
      ComputeProviderAddr: "",
      MetadataHash: "",
      WithdrawHash: "",
      RefundHash: "",
      Distribute_50Hash: "",
      Distribute_75Hash: "",
      SignatureDatum: "",
      MessageHashDatum: "",
      Datum: "",
      SignatureAction: "",
      MessageHashAction: "",
      Action: "",
      JobDuration: 5,
      EstimatedJobDuration: 6,
      ResourceRequirements: 1,
      LastLogFetch: "2023-05-01T10:00:00Z",
    };
    expect(roundTrip(parseServices(doc))).toEqual(doc);
  });

  it("a soft-deleted record (a timestamp) still reads as deleted", () => {
    const v = parseDeploymentRequestFlat({
      ...base,
      DeletedAt: "2024-01-01T00:00:00Z",
      deployment_request: "",
      job_status: "",
    });
    expect(isDeleted(v)).toBe(true);
  });
});

describe("open string enums keep any string verbatim, as Go's decoder does", () => {
  it('a GPU vendor of "" or an unknown maker', () => {
    const gpu = { index: 0, vendor: "", pci_address: "0000:01:00.0", model: "", vram: 0, uuid: "" };
    expect(roundTrip(parseGPU(gpu))).toEqual(gpu);
    expect(parseGPU({ ...gpu, vendor: "3dfx" }).vendor).toBe("3dfx");
    expect(GPUVendor.Nvidia).toBe("NVIDIA");
  });

  it('an executor type "containerd" and an unknown job type, with null lists kept null', () => {
    const cap = {
      executor: ["containerd", ExecutorType.Docker],
      type: ["serverless"],
      resources: { cpu: { clock_speed: 3e9, cores: 4 }, ram: { size: 8e9 }, disk: { size: 1e10 } },
      libraries: null,
      locality: null,
      connectivity: { ports: null, vpn: false },
      price: null,
      time: { units: "hours", max_time: 1, preference: 0 },
      KYCs: null,
    };
    expect(roundTrip(parseHardwareCapability(cap))).toEqual(cap);
  });
});
