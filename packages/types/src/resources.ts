import { z } from "zod";
import { BaseRecordSchema } from "./base.js";
import type { Comparison } from "./comparison.js";
import { and } from "./comparison.js";
import { TypesError } from "./errors.js";
import { addGPUs, compareGPUs, equalGPUs, GPUSchema, subtractGPUs } from "./gpu.js";
import type { CPU, Disk, RAM } from "./hardware.js";
import {
  addCPU,
  addDisk,
  addRAM,
  CPUSchema,
  compareCPU,
  compareDisk,
  compareRAM,
  DiskSchema,
  RAMSchema,
  subtractCPU,
  subtractDisk,
  subtractRAM,
} from "./hardware.js";
import { resourcesFromSeed, SeedResourcesSchema } from "./seed-hardware.js";
import type { ParseResult } from "./validate.js";
import { eitherEra, parse, safeParse } from "./validate.js";

/** Machine resources (upstream `Resources`): `cpu`, `gpus` (omitted when empty), `ram`, `disk`. */
export const ResourcesSchema = z.object({
  cpu: CPUSchema,
  gpus: z.array(GPUSchema).optional(),
  ram: RAMSchema,
  disk: DiskSchema,
});
/** See {@link ResourcesSchema}. */
export type Resources = z.output<typeof ResourcesSchema>;

/** Upstream's newest `BaseDBModel` omits zero fields (`omitempty,omitzero`), so all are optional here. */
const OptionalBase = BaseRecordSchema.partial();

/** Total resources of the machine (upstream `MachineResources`: base record fields + resources). */
export const MachineResourcesSchema = OptionalBase.extend(ResourcesSchema.shape);
/** See {@link MachineResourcesSchema}. */
export type MachineResources = z.output<typeof MachineResourcesSchema>;

/** Onboarded resources (upstream `OnboardedResources`). */
export const OnboardedResourcesSchema = MachineResourcesSchema;
/** See {@link OnboardedResourcesSchema}. */
export type OnboardedResources = MachineResources;

/**
 * Free resources in the newest upstream shape (`FreeResources`: base record + resources). Named
 * differently here because {@link FreeResourcesSchema} is the older, tagged `FreeResources` record.
 */
export const FreeMachineResourcesSchema = MachineResourcesSchema;
/** See {@link FreeMachineResourcesSchema}. */
export type FreeMachineResources = MachineResources;

/** Committed resources (upstream `CommittedResources`, JSON key `allocationID`). */
export const CommittedResourcesSchema = MachineResourcesSchema.extend({ allocationID: z.string() });
/** See {@link CommittedResourcesSchema}. */
export type CommittedResources = z.output<typeof CommittedResourcesSchema>;

/** Resources allocated to a job (upstream `ResourceAllocation`, JSON key `allocation_id`). */
export const ResourceAllocationSchema = MachineResourcesSchema.extend({ allocation_id: z.string() });
/** See {@link ResourceAllocationSchema}. */
export type ResourceAllocation = z.output<typeof ResourceAllocationSchema>;

/** Manages a machine's resource pool (upstream `ResourceManager`), promise-based. */
export interface ResourceManager {
  commitResources(committed: CommittedResources): Promise<void>;
  uncommitResources(allocationID: string): Promise<void>;
  isCommitted(allocationID: string): Promise<boolean>;
  allocateResources(allocationID: string): Promise<void>;
  deallocateResources(allocationID: string): Promise<void>;
  isAllocated(allocationID: string): Promise<boolean>;
  getTotalAllocation(): Promise<Resources>;
  getFreeResources(): Promise<FreeMachineResources>;
  getOnboardedResources(): Promise<OnboardedResources>;
  updateOnboardedResources(resources: Resources): Promise<void>;
}

/** `compareCPU ∧ compareRAM ∧ compareDisk ∧ compareGPUs`, folded left in that order with {@link and}. */
export function compareResources(own: Resources, required: Resources): Comparison {
  return and(
    and(
      and(compareCPU(own.cpu, required.cpu), compareRAM(own.ram, required.ram)),
      compareDisk(own.disk, required.disk),
    ),
    compareGPUs(own.gpus, required.gpus),
  );
}

/** Equal RAM size, CPU cores, disk size and GPUs (any order), as upstream checks. */
export function equalResources(a: Resources, b: Resources): boolean {
  return (
    a.ram.size === b.ram.size &&
    a.cpu.cores === b.cpu.cores &&
    a.disk.size === b.disk.size &&
    equalGPUs(a.gpus, b.gpus)
  );
}

function step<T>(verb: "adding" | "subtracting", part: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof TypesError)) throw e;
    throw new TypesError(e.code, `error ${verb} ${part}: ${e.message}`, { cause: e });
  }
}

function combine(own: Resources, other: Resources, verb: "adding" | "subtracting"): Resources {
  const add = verb === "adding";
  const cpu: CPU = step(verb, "CPU", () => (add ? addCPU : subtractCPU)(own.cpu, other.cpu));
  const ram: RAM = step(verb, "RAM", () => (add ? addRAM : subtractRAM)(own.ram, other.ram));
  const disk: Disk = step(verb, "Disk", () => (add ? addDisk : subtractDisk)(own.disk, other.disk));
  const out: Resources = { ...own, cpu, ram, disk };
  if (own.gpus !== undefined) {
    const g = own.gpus;
    out.gpus = step(verb, "GPUs", () => (add ? addGPUs : subtractGPUs)(g, other.gpus ?? []));
  }
  return out;
}

/**
 * The sum, part by part in the order CPU, RAM, Disk, GPUs. Returns a new value.
 * @throws TypesError with the failing part's code, message `"error adding <part>: …"`.
 */
export function addResources(own: Resources, other: Resources): Resources {
  return combine(own, other, "adding");
}

/**
 * The difference, part by part in the order CPU, RAM, Disk, GPUs. Returns a new value.
 *
 * Decision: upstream mutates in place and is not atomic (parts done before a failure stay changed).
 * This function never changes its inputs, so a failure leaves nothing half-applied.
 * @throws TypesError `ERR_TYPES_UNDERFLOW`, message `"error subtracting CPU|RAM|Disk|GPUs: …"`.
 */
export function subtractResources(own: Resources, other: Resources): Resources {
  return combine(own, other, "subtracting");
}

const resourcesEra = eitherEra(
  ResourcesSchema,
  SeedResourcesSchema,
  resourcesFromSeed,
  { seed: ["memory"], tagged: ["ram"] },
  "Resources",
);

/**
 * Parses a {@link Resources} wire document of either era: the newer tagged shape, or the seed's with Go
 * field names (see `seed-hardware.ts`). Unknown keys are dropped, as Go ignores them.
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseResources(json: unknown): Resources {
  return resourcesEra.parse(json);
}

/** Non-throwing {@link parseResources}. */
export function safeParseResources(json: unknown): ParseResult<Resources> {
  return resourcesEra.safeParse(json);
}

/**
 * Parses a {@link MachineResources} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseMachineResources(json: unknown): MachineResources {
  return parse(MachineResourcesSchema, json, "MachineResources");
}

/** Non-throwing {@link parseMachineResources}. */
export function safeParseMachineResources(json: unknown): ParseResult<MachineResources> {
  return safeParse(MachineResourcesSchema, json, "MachineResources");
}

/**
 * Parses a {@link CommittedResources} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseCommittedResources(json: unknown): CommittedResources {
  return parse(CommittedResourcesSchema, json, "CommittedResources");
}

/** Non-throwing {@link parseCommittedResources}. */
export function safeParseCommittedResources(json: unknown): ParseResult<CommittedResources> {
  return safeParse(CommittedResourcesSchema, json, "CommittedResources");
}

/**
 * Parses a {@link ResourceAllocation} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseResourceAllocation(json: unknown): ResourceAllocation {
  return parse(ResourceAllocationSchema, json, "ResourceAllocation");
}

/** Non-throwing {@link parseResourceAllocation}. */
export function safeParseResourceAllocation(json: unknown): ParseResult<ResourceAllocation> {
  return safeParse(ResourceAllocationSchema, json, "ResourceAllocation");
}
