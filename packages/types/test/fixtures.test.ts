// Go-shaped documents (written from the upstream struct definitions) for the wire types the other
// test files do not name: each parses, and serialises back to the very same JSON.
import { describe, expect, it } from "vitest";
import * as t from "../src/index.js";

const T = "2024-03-01T12:00:00.123456789+01:00";
const live = { ID: "0b1c", CreatedAt: T, UpdatedAt: T, DeletedAt: null };
const resources = { cpu: { clock_speed: 2.4e9, cores: 4 }, ram: { size: 8e9 }, disk: { size: 1e11 } };
const seedGPU = {
  Index: 0,
  Name: "T4",
  Vendor: "NVIDIA",
  PCIAddress: "0000:00:1e.0",
  model: "T4",
  TotalVRAM: 16e9,
  UsedVRAM: 0,
  FreeVRAM: 16e9,
  ResourceID: 1,
};
const free = {
  ...live,
  tot_cpu_hz: 9600,
  price_cpu: 0,
  ram: 8000,
  price_ram: 0,
  vcpu: 4,
  disk: 100,
  price_disk: 0,
  ntx_price: 0,
};

const fixtures: [string, (j: unknown) => unknown, unknown][] = [
  ["Account", t.parseAccount, { address: "addr1", mnemonic: "a b c" }],
  ["Account (all omitted)", t.parseAccount, {}],
  ["BaseRecord (gorm, never deleted)", t.parseBaseRecord, live],
  ["BaseRecord (soft-deleted)", t.parseBaseRecord, { ...live, DeletedAt: T }],
  [
    "BlockchainTxStatus",
    t.parseBlockchainTxStatus,
    { transaction_type: "fund", transaction_status: "ok", tx_hash: "ab" },
  ],
  [
    "Capacity",
    t.parseCapacity,
    { memory: 4000, cpu: 8000, ntx_price: 0.5, channel: "nunet-test", is_available: true },
  ],
  ["Capacity (omitempty)", t.parseCapacity, { is_available: false }],
  ["CommittedResources", t.parseCommittedResources, { ...live, ...resources, allocationID: "a1" }],
  ["ResourceAllocation", t.parseResourceAllocation, { ...resources, allocation_id: "a1" }],
  ["MachineResources (newest, zero base omitted)", t.parseMachineResources, resources],
  ["Connectivity (nil ports)", t.parseConnectivity, { ports: null, vpn: false }],
  ["Connectivity (empty ports)", t.parseConnectivity, { ports: [], vpn: true }],
  ["KYC", t.parseKYC, { type: "", data: "" }],
  ["Library", t.parseLibrary, { name: "cuda", constraint: ">= 11.0", version: "12.2" }],
  ["Locality (unknown kind)", t.parseLocality, { kind: "nunet-zone", name: "z1" }],
  [
    "PriceInformation",
    t.parsePriceInformation,
    { currency: "NTX", currency_per_hour: 2, total_per_job: 10, preference: 0 },
  ],
  ["TimeInformation", t.parseTimeInformation, { units: "fortnights", max_time: 1, preference: 0 }],
  ["LogStreamRequest", t.parseLogStreamRequest, { JobID: "j", ExecutionID: "e", Tail: false, Follow: true }],
  ["NetworkInfo", t.parseNetworkInfo, { Bandwidth: 1e9, NetworkType: "Ethernet" }],
  ["NetworkStats", t.parseNetworkStats, { id: "12D3KooW", listen_addr: "/ip4/0.0.0.0/tcp/9000" }],
  [
    "OnboardingConfig",
    t.parseOnboardingConfig,
    { ...live, is_onboarded: true, onboarded_resources: resources },
  ],
  ["Provisioned", t.parseProvisioned, { cpu: 9600.5, memory: 16000, total_cores: 4 }],
  [
    "StorageVolumeExecutor",
    t.parseStorageVolumeExecutor,
    { type: "bind", source: "/a", target: "/b", readonly: true },
  ],
  [
    "PeerData (tagged GPUs)",
    t.parsePeerData,
    {
      peer_id: "p",
      is_available: true,
      has_gpu: true,
      allow_cardano: false,
      gpu_info: [{ index: 0, vendor: "", pci_address: "", model: "", vram: 0, uuid: "" }],
      tokenomics_addrs: "",
      tokenomics_blockchain: "",
      available_resources: free,
      services: null,
    },
  ],
  [
    "PeerData (seed GPUs, nil lists)",
    t.parsePeerData,
    {
      peer_id: "p",
      is_available: false,
      has_gpu: true,
      allow_cardano: false,
      gpu_info: [seedGPU],
      tokenomics_addrs: "",
      tokenomics_blockchain: "",
      available_resources: free,
      services: null,
      timestamp: 1709290800,
    },
  ],
  [
    "NetworkConfig (nats, nil lists)",
    t.parseNetworkConfig,
    {
      Type: "nats",
      DHTPrefix: "",
      BootstrapPeers: null,
      Rendezvous: "",
      Server: false,
      CustomNamespace: "",
      ListenAddress: null,
      PeerCountDiscoveryLimit: 0,
      GracePeriodMs: 0,
      GossipMaxMessageSize: 0,
      NATSUrl: "nats://127.0.0.1:4222",
    },
  ],
];

describe("Go-shaped fixtures parse and come back unchanged", () => {
  it.each(fixtures)("%s", (_name, parse, doc) => {
    expect(JSON.parse(JSON.stringify(parse(doc)))).toStrictEqual(doc);
  });
});
