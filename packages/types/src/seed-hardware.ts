import { z } from "zod";
import { TypesError } from "./errors.js";
import { goInt, goUint } from "./go.js";
import type { GPU } from "./gpu.js";
import type { CPU, Disk, RAM } from "./hardware.js";
import type { Resources } from "./resources.js";

// The seed era's hardware shapes: upstream `types/resources.go` and `types/hardware.go` of the gorm
// era (documented in upstream `types/README.md` of that era) have no JSON tags but GPU's `model`, so
// the keys are the Go field names. The newer tagged shapes (`index`, `pci_address`, `vram`, …) are
// upstream's current `types/hardware.go` / `types/resources.go`. Both parse; a seed document becomes
// the same TS value as its tagged twin, and what the tagged shape has no room for (GPU `Name`,
// `UsedVRAM`, `FreeVRAM`, `ResourceID`) is remembered beside the value so it can be written back.
// This module imports the tagged modules' types only, so they can import it without a cycle.

/** Which shape to write: `"tagged"` (newer, the default) or `"seed"` (Go field names). */
export type HardwareEra = "tagged" | "seed";
/** Options of the `…ToJSON` writers. */
export interface ToJSONOptions {
  /** Shape to write; `"tagged"` when absent. */
  era?: HardwareEra | undefined;
}

/** Seed-era GPU: Go names as keys but `model`, VRAM split in total/used/free, gorm `ResourceID`. */
export const SeedGPUSchema = z.object({
  Index: goInt,
  Name: z.string(),
  Vendor: z.string(),
  PCIAddress: z.string(),
  model: z.string(),
  TotalVRAM: goUint,
  UsedVRAM: goUint,
  FreeVRAM: goUint,
  ResourceID: goUint,
});
/** See {@link SeedGPUSchema}. */
export type SeedGPU = z.output<typeof SeedGPUSchema>;

/** Seed-era CPU: `ClockSpeedHz` (Go uint64) and `Cores` (a Go `int`, not yet a float32). */
export const SeedCPUSchema = z.object({
  Model: z.string(),
  Vendor: z.string(),
  ClockSpeedHz: goUint,
  Cores: goInt,
  Threads: goInt,
  Architecture: z.string(),
  CacheSize: goUint,
});
/** See {@link SeedCPUSchema}. */
export type SeedCPU = z.output<typeof SeedCPUSchema>;

/** Seed-era RAM. */
export const SeedRAMSchema = z.object({ Size: goUint, ClockSpeedHz: goUint, Type: z.string() });
/** See {@link SeedRAMSchema}. */
export type SeedRAM = z.output<typeof SeedRAMSchema>;

/** Seed-era disk. */
export const SeedDiskSchema = z.object({
  Model: z.string(),
  Vendor: z.string(),
  Size: goUint,
  Type: z.string(),
  Interface: z.string(),
  ReadSpeed: goUint,
  WriteSpeed: goUint,
});
/** See {@link SeedDiskSchema}. */
export type SeedDisk = z.output<typeof SeedDiskSchema>;

/** Seed-era resources (upstream `ExecutionResources`): `cpu`, `memory`, `disk`, `gpus` (omitempty). */
export const SeedResourcesSchema = z.object({
  cpu: SeedCPUSchema,
  memory: SeedRAMSchema,
  disk: SeedDiskSchema,
  gpus: z.array(SeedGPUSchema).optional(),
});
/** See {@link SeedResourcesSchema}. */
export type SeedResources = z.output<typeof SeedResourcesSchema>;

const gpuExtras = new WeakMap<GPU, Pick<SeedGPU, "Name" | "UsedVRAM" | "FreeVRAM" | "ResourceID">>();

/** Optional tagged fields: Go's `omitempty` drops `""` and `0`, so they are left out here too. */
function opt<K extends string, V extends string | number>(key: K, v: V): Partial<Record<K, V>> {
  return v === "" || v === 0 ? {} : ({ [key]: v } as Record<K, V>);
}

/** The tagged GPU of a seed GPU (its `Name`, `UsedVRAM`, `FreeVRAM`, `ResourceID` kept aside). */
export function gpuFromSeed(s: SeedGPU): GPU {
  const g: GPU = {
    index: s.Index,
    vendor: s.Vendor,
    pci_address: s.PCIAddress,
    model: s.model,
    vram: s.TotalVRAM,
    uuid: "",
  };
  gpuExtras.set(g, { Name: s.Name, UsedVRAM: s.UsedVRAM, FreeVRAM: s.FreeVRAM, ResourceID: s.ResourceID });
  return g;
}

/** The seed GPU of a tagged one (`uuid` has no seed field; extras from parsing, else zero). */
export function gpuToSeed(g: GPU): SeedGPU {
  const x = gpuExtras.get(g) ?? { Name: "", UsedVRAM: 0, FreeVRAM: 0, ResourceID: 0 };
  return {
    Index: g.index,
    Vendor: g.vendor,
    PCIAddress: g.pci_address,
    model: g.model,
    TotalVRAM: g.vram,
    ...x,
  };
}

/** The tagged CPU of a seed CPU. */
export function cpuFromSeed(s: SeedCPU): CPU {
  return {
    clock_speed: s.ClockSpeedHz,
    cores: s.Cores,
    ...opt("model", s.Model),
    ...opt("vendor", s.Vendor),
    ...opt("threads", s.Threads),
    ...opt("architecture", s.Architecture),
    ...opt("cache_size", s.CacheSize),
  };
}

/**
 * The seed CPU of a tagged one.
 * @throws TypesError `ERR_TYPES_INVALID` (field `cores` or `clock_speed`) when a value has no seed
 *   form: fractional cores (seed `Cores` is a Go int) or a fractional/negative clock (a Go uint64).
 */
export function cpuToSeed(c: CPU): SeedCPU {
  if (!Number.isSafeInteger(c.cores))
    throw new TypesError("ERR_TYPES_INVALID", `cores ${c.cores} has no seed form: seed Cores is a Go int`, {
      field: "cores",
    });
  if (!Number.isSafeInteger(c.clock_speed) || c.clock_speed < 0)
    throw new TypesError(
      "ERR_TYPES_INVALID",
      `clock_speed ${c.clock_speed} has no seed form: seed ClockSpeedHz is a Go uint64`,
      {
        field: "clock_speed",
      },
    );
  return {
    Model: c.model ?? "",
    Vendor: c.vendor ?? "",
    ClockSpeedHz: c.clock_speed,
    Cores: c.cores,
    Threads: c.threads ?? 0,
    Architecture: c.architecture ?? "",
    CacheSize: c.cache_size ?? 0,
  };
}

/** The tagged RAM of a seed RAM. */
export function ramFromSeed(s: SeedRAM): RAM {
  return { size: s.Size, ...opt("clock_speed", s.ClockSpeedHz), ...opt("type", s.Type) };
}

/** The seed RAM of a tagged one. */
export function ramToSeed(r: RAM): SeedRAM {
  return { Size: r.size, ClockSpeedHz: r.clock_speed ?? 0, Type: r.type ?? "" };
}

/** The tagged disk of a seed disk. */
export function diskFromSeed(s: SeedDisk): Disk {
  return {
    size: s.Size,
    ...opt("model", s.Model),
    ...opt("vendor", s.Vendor),
    ...opt("type", s.Type),
    ...opt("interface", s.Interface),
    ...opt("read_speed", s.ReadSpeed),
    ...opt("write_speed", s.WriteSpeed),
  };
}

/** The seed disk of a tagged one. */
export function diskToSeed(d: Disk): SeedDisk {
  return {
    Model: d.model ?? "",
    Vendor: d.vendor ?? "",
    Size: d.size,
    Type: d.type ?? "",
    Interface: d.interface ?? "",
    ReadSpeed: d.read_speed ?? 0,
    WriteSpeed: d.write_speed ?? 0,
  };
}

/** The tagged resources of seed resources (`memory` becomes `ram`). */
export function resourcesFromSeed(s: SeedResources): Resources {
  const r: Resources = { cpu: cpuFromSeed(s.cpu), ram: ramFromSeed(s.memory), disk: diskFromSeed(s.disk) };
  if (s.gpus !== undefined) r.gpus = s.gpus.map(gpuFromSeed);
  return r;
}

/** The seed resources of tagged ones. @throws TypesError as {@link cpuToSeed}. */
export function resourcesToSeed(r: Resources): SeedResources {
  const s: SeedResources = { cpu: cpuToSeed(r.cpu), memory: ramToSeed(r.ram), disk: diskToSeed(r.disk) };
  if (r.gpus !== undefined && r.gpus.length > 0) s.gpus = r.gpus.map(gpuToSeed);
  return s;
}

/** The tagged wire document of a GPU (default), or the seed one with `{ era: "seed" }`. */
export function gpuToJSON(g: GPU, options: ToJSONOptions = {}): GPU | SeedGPU {
  return options.era === "seed" ? gpuToSeed(g) : { ...g };
}
/** The tagged wire document of a CPU (default), or the seed one with `{ era: "seed" }`. */
export function cpuToJSON(c: CPU, options: ToJSONOptions = {}): CPU | SeedCPU {
  return options.era === "seed" ? cpuToSeed(c) : { ...c };
}
/** The tagged wire document of a RAM (default), or the seed one with `{ era: "seed" }`. */
export function ramToJSON(r: RAM, options: ToJSONOptions = {}): RAM | SeedRAM {
  return options.era === "seed" ? ramToSeed(r) : { ...r };
}
/** The tagged wire document of a disk (default), or the seed one with `{ era: "seed" }`. */
export function diskToJSON(d: Disk, options: ToJSONOptions = {}): Disk | SeedDisk {
  return options.era === "seed" ? diskToSeed(d) : { ...d };
}
/** The tagged wire document of resources (default), or the seed one with `{ era: "seed" }`. */
export function resourcesToJSON(r: Resources, options: ToJSONOptions = {}): Resources | SeedResources {
  return options.era === "seed" ? resourcesToSeed(r) : JSON.parse(JSON.stringify(r));
}
