import { z } from "zod";
import type { Comparison } from "./comparison.js";
import { literalComparator, numericComparator } from "./comparison.js";
import { TypesError } from "./errors.js";
import { goFloat, goFormatFloat32, goInt, goUint } from "./go.js";
import {
  cpuFromSeed,
  diskFromSeed,
  ramFromSeed,
  SeedCPUSchema,
  SeedDiskSchema,
  SeedRAMSchema,
} from "./seed-hardware.js";
import { bytesToGB, hzToGHz, round } from "./units.js";
import type { ParseResult } from "./validate.js";
import { eitherEra, parse, safeParse } from "./validate.js";

/**
 * A CPU (upstream `CPU`): `clock_speed` in Hz, `cores` (a Go float32, here a number), and the
 * optional `model`, `vendor`, `threads`, `architecture`, `cache_size` (bytes), omitted when empty.
 */
export const CPUSchema = z.object({
  clock_speed: goFloat,
  cores: goFloat,
  model: z.string().optional(),
  vendor: z.string().optional(),
  threads: goInt.optional(),
  architecture: z.string().optional(),
  cache_size: goUint.optional(),
});
/** See {@link CPUSchema}. */
export type CPU = z.output<typeof CPUSchema>;

/**
 * RAM (upstream `RAM`): `size` in bytes; optional `clock_speed` (Hz) and `type` (`DDR4`…). Sizes are
 * Go `uint64`; here at most 2^53 − 1 bytes (8 PiB), larger values are rejected.
 */
export const RAMSchema = z.object({
  size: goUint,
  clock_speed: goUint.optional(),
  type: z.string().optional(),
});
/** See {@link RAMSchema}. */
export type RAM = z.output<typeof RAMSchema>;

/**
 * A disk (upstream `Disk`): `size` in bytes, other fields optional (speeds in bytes/s). Go `uint64`
 * sizes above 2^53 − 1 are rejected.
 */
export const DiskSchema = z.object({
  size: goUint,
  model: z.string().optional(),
  vendor: z.string().optional(),
  type: z.string().optional(),
  interface: z.string().optional(),
  read_speed: goUint.optional(),
  write_speed: goUint.optional(),
});
/** See {@link DiskSchema}. */
export type Disk = z.output<typeof DiskSchema>;

/** Network information (upstream `NetworkInfo`, unused upstream; no JSON tags so Go names). */
export const NetworkInfoSchema = z.object({
  /** Bits per second. */
  Bandwidth: goUint,
  /** e.g. `Ethernet`, `Wi-Fi`. */
  NetworkType: z.string(),
});
/** See {@link NetworkInfoSchema}. */
export type NetworkInfo = z.output<typeof NetworkInfoSchema>;

/** Total compute in Hz: `cores × clock_speed`. */
export function cpuCompute(c: CPU): number {
  return c.cores * c.clock_speed;
}

/** {@link cpuCompute} in GHz. */
export function cpuComputeInGHz(c: CPU): number {
  return hzToGHz(cpuCompute(c));
}

/** Clock speed in GHz. */
export function cpuClockSpeedInGHz(c: CPU): number {
  return hzToGHz(c.clock_speed);
}

/**
 * When the architectures are equal (two absent or empty ones count as equal) compares
 * `cores × clock_speed` numerically; otherwise `None`.
 */
export function compareCPU(own: CPU, required: CPU): Comparison {
  if (literalComparator(own.architecture ?? "", required.architecture ?? "") !== "Equal") return "None";
  return numericComparator(cpuCompute(own), cpuCompute(required));
}

/** A copy of `own` with `cores = round(own + other, 2)`; the clock speed is unchanged. */
export function addCPU(own: CPU, other: CPU): CPU {
  return { ...own, cores: round(own.cores + other.cores, 2) };
}

/**
 * A copy of `own` with `cores = round(own − other, 2)`.
 * @throws TypesError `ERR_TYPES_UNDERFLOW` `"core: underflow, cannot subtract X from Y"`, the numbers
 *   printed as Go prints a float32 with `%v` (`0.33333334`, `1e+06`).
 */
export function subtractCPU(own: CPU, other: CPU): CPU {
  if (own.cores < other.cores) {
    throw new TypesError(
      "ERR_TYPES_UNDERFLOW",
      `core: underflow, cannot subtract ${goFormatFloat32(other.cores)} from ${goFormatFloat32(own.cores)}`,
    );
  }
  return { ...own, cores: round(own.cores - other.cores, 2) };
}

function sizeUnderflow(own: number, other: number): TypesError {
  return new TypesError("ERR_TYPES_UNDERFLOW", `size: underflow, cannot subtract ${other} from ${own}`);
}

/** Compares by size. */
export function compareRAM(own: RAM, required: RAM): Comparison {
  return numericComparator(own.size, required.size);
}

/** A copy of `own` with the sizes added. */
export function addRAM(own: RAM, other: RAM): RAM {
  return { ...own, size: own.size + other.size };
}

/**
 * A copy of `own` with `other.size` taken away.
 * @throws TypesError `ERR_TYPES_UNDERFLOW` `"size: underflow, cannot subtract X from Y"`.
 */
export function subtractRAM(own: RAM, other: RAM): RAM {
  if (own.size < other.size) throw sizeUnderflow(own.size, other.size);
  return { ...own, size: own.size - other.size };
}

/** Compares by size. */
export function compareDisk(own: Disk, required: Disk): Comparison {
  return numericComparator(own.size, required.size);
}

/** A copy of `own` with the sizes added. */
export function addDisk(own: Disk, other: Disk): Disk {
  return { ...own, size: own.size + other.size };
}

/**
 * A copy of `own` with `other.size` taken away.
 * @throws TypesError `ERR_TYPES_UNDERFLOW` `"size: underflow, cannot subtract X from Y"`.
 */
export function subtractDisk(own: Disk, other: Disk): Disk {
  if (own.size < other.size) throw sizeUnderflow(own.size, other.size);
  return { ...own, size: own.size - other.size };
}

/** Size in whole gigabytes (10^9 bytes, rounded down) of RAM or a disk. */
export function sizeInGB(x: RAM | Disk): number {
  return bytesToGB(x.size);
}

const cpuEra = eitherEra(
  CPUSchema,
  SeedCPUSchema,
  cpuFromSeed,
  { seed: ["ClockSpeedHz", "Cores"], tagged: ["clock_speed", "cores"] },
  "CPU",
);

/**
 * Parses a {@link CPU} wire document of either era: the newer tagged shape, or the seed's with Go
 * field names (see `seed-hardware.ts`). Unknown keys are dropped, as Go ignores them.
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseCPU(json: unknown): CPU {
  return cpuEra.parse(json);
}

/** Non-throwing {@link parseCPU}. */
export function safeParseCPU(json: unknown): ParseResult<CPU> {
  return cpuEra.safeParse(json);
}

const ramEra = eitherEra(
  RAMSchema,
  SeedRAMSchema,
  ramFromSeed,
  { seed: ["Size", "ClockSpeedHz"], tagged: ["size"] },
  "RAM",
);

/**
 * Parses a {@link RAM} wire document of either era: the newer tagged shape, or the seed's with Go
 * field names (see `seed-hardware.ts`). Unknown keys are dropped, as Go ignores them.
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseRAM(json: unknown): RAM {
  return ramEra.parse(json);
}

/** Non-throwing {@link parseRAM}. */
export function safeParseRAM(json: unknown): ParseResult<RAM> {
  return ramEra.safeParse(json);
}

const diskEra = eitherEra(
  DiskSchema,
  SeedDiskSchema,
  diskFromSeed,
  { seed: ["Size", "ReadSpeed", "WriteSpeed"], tagged: ["size"] },
  "Disk",
);

/**
 * Parses a {@link Disk} wire document of either era: the newer tagged shape, or the seed's with Go
 * field names (see `seed-hardware.ts`). Unknown keys are dropped, as Go ignores them.
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseDisk(json: unknown): Disk {
  return diskEra.parse(json);
}

/** Non-throwing {@link parseDisk}. */
export function safeParseDisk(json: unknown): ParseResult<Disk> {
  return diskEra.safeParse(json);
}

/**
 * Parses a {@link NetworkInfo} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseNetworkInfo(json: unknown): NetworkInfo {
  return parse(NetworkInfoSchema, json, "NetworkInfo");
}

/** Non-throwing {@link parseNetworkInfo}. */
export function safeParseNetworkInfo(json: unknown): ParseResult<NetworkInfo> {
  return safeParse(NetworkInfoSchema, json, "NetworkInfo");
}
