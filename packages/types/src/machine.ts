import { z } from "zod";
import { BaseRecordSchema } from "./base.js";
import { goFloat, goInt, goTime } from "./go.js";
import { GPUSchema } from "./gpu.js";
import { ResourcesSchema } from "./resources.js";
import { SeedGPUSchema } from "./seed-hardware.js";
import type { ParseResult } from "./validate.js";
import { parse, safeParse } from "./validate.js";

// Shapes from upstream `types/machine.go` / `models/machine.go` and `onboarding.go`, which the spec
// writer did not read in detail. JSON keys are the Go tags where upstream has them and the Go field
// names where it has none; the shape is ours where upstream had several versions (noted per type).

/** Peer identity record (upstream `PeerInfo`; all fields omitempty). */
export const PeerInfoSchema = BaseRecordSchema.extend({
  nodeID: z.string().optional(),
  key: z.string().optional(),
  mid: z.string().optional(),
  public_key: z.string().optional(),
  _address: z.string().optional(),
});
/** See {@link PeerInfoSchema}. */
export type PeerInfo = z.output<typeof PeerInfoSchema>;

/** A machine record (upstream `Machine`; no tags, Go names; the resource fields are record ids). */
export const MachineSchema = BaseRecordSchema.extend({
  NodeId: z.string(),
  PeerInfo: goInt,
  IpAddr: z.string(),
  AvailableResources: goInt,
  FreeResources: goInt,
  TokenomicsAddress: z.string(),
  TokenomicsBlockchain: z.string(),
});
/** See {@link MachineSchema}. */
export type Machine = z.output<typeof MachineSchema>;

/**
 * Resources free for new services (the older, tagged upstream `FreeResources`: `tot_cpu_hz`,
 * `price_cpu`, `ram`, `price_ram`, `vcpu`, `disk`, `price_disk`, `ntx_price`). The newer
 * resources-based shape is {@link FreeMachineResources}.
 */
export const FreeResourcesSchema = BaseRecordSchema.extend({
  tot_cpu_hz: goInt,
  price_cpu: goFloat,
  ram: goInt,
  price_ram: goFloat,
  vcpu: goInt,
  disk: goFloat,
  price_disk: goFloat,
  ntx_price: goFloat,
});
/** See {@link FreeResourcesSchema}. */
export type FreeResources = z.output<typeof FreeResourcesSchema>;

/** Resources onboarded for NuNet (upstream `AvailableResources`; no tags, Go names). */
export const AvailableResourcesSchema = BaseRecordSchema.extend({
  TotCpuHz: goInt,
  CpuNo: goInt,
  CpuHz: goFloat,
  PriceCpu: goFloat,
  Ram: goInt,
  PriceRam: goFloat,
  Vcpu: goInt,
  Disk: goFloat,
  PriceDisk: goFloat,
  NTXPricePerMinute: goFloat,
});
/** See {@link AvailableResourcesSchema}. */
export type AvailableResources = z.output<typeof AvailableResourcesSchema>;

/** A running or finished service (upstream `Services`; no tags, Go names; durations in minutes). */
export const ServicesSchema = BaseRecordSchema.extend({
  TxHash: z.string(),
  TransactionType: z.string(),
  JobStatus: z.string(),
  JobDuration: goInt,
  EstimatedJobDuration: goInt,
  ServiceName: z.string(),
  ContainerID: z.string(),
  ResourceRequirements: goInt,
  ImageID: z.string(),
  LogURL: z.string(),
  LastLogFetch: goTime,
  ServiceProviderAddr: z.string(),
  ComputeProviderAddr: z.string(),
  MetadataHash: z.string(),
  WithdrawHash: z.string(),
  RefundHash: z.string(),
  Distribute_50Hash: z.string(),
  Distribute_75Hash: z.string(),
  SignatureDatum: z.string(),
  MessageHashDatum: z.string(),
  Datum: z.string(),
  SignatureAction: z.string(),
  MessageHashAction: z.string(),
  Action: z.string(),
});
/** See {@link ServicesSchema}. */
export type Services = z.output<typeof ServicesSchema>;

/** What a peer advertises (upstream `PeerData`). */
export const PeerDataSchema = z.object({
  peer_id: z.string(),
  is_available: z.boolean(),
  has_gpu: z.boolean(),
  allow_cardano: z.boolean(),
  // The seed era wrote its Go-named GPUs here; either shape is kept as sent.
  gpu_info: z.array(z.union([GPUSchema, SeedGPUSchema])).nullable(),
  tokenomics_addrs: z.string(),
  tokenomics_blockchain: z.string(),
  available_resources: FreeResourcesSchema,
  services: z.array(ServicesSchema).nullable(),
  timestamp: goInt.optional(),
});
/** See {@link PeerDataSchema}. */
export type PeerData = z.output<typeof PeerDataSchema>;

/**
 * Capacity offered when onboarding (upstream `CapacityForNunet`; all but `is_available` omitempty):
 * `memory` (MB), `cpu` (MHz), `ntx_price`, `channel`, `payment_addr`, `cardano`, `server_mode`.
 */
export const CapacitySchema = z.object({
  memory: goInt.optional(),
  cpu: goInt.optional(),
  ntx_price: goFloat.optional(),
  channel: z.string().optional(),
  payment_addr: z.string().optional(),
  cardano: z.boolean().optional(),
  server_mode: z.boolean().optional(),
  is_available: z.boolean(),
});
/** See {@link CapacitySchema}. */
export type Capacity = z.output<typeof CapacitySchema>;

/** What the host is equipped with (upstream `Provisioned`; all omitempty). */
export const ProvisionedSchema = z.object({
  cpu: goFloat.optional(),
  memory: goInt.nonnegative().optional(),
  total_cores: goInt.nonnegative().optional(),
});
/** See {@link ProvisionedSchema}. */
export type Provisioned = z.output<typeof ProvisionedSchema>;

/**
 * Onboarding state (newest upstream `OnboardingConfig`): `is_onboarded`, and the transient
 * `onboarded_resources` (not stored upstream; optional here).
 */
export const OnboardingConfigSchema = BaseRecordSchema.partial().extend({
  is_onboarded: z.boolean(),
  onboarded_resources: ResourcesSchema.optional(),
});
/** See {@link OnboardingConfigSchema}. */
export type OnboardingConfig = z.output<typeof OnboardingConfigSchema>;

/** A known connection to a peer (upstream `Connection`). */
export const ConnectionSchema = BaseRecordSchema.extend({ peer_id: z.string(), multiaddrs: z.string() });
/** See {@link ConnectionSchema}. */
export type Connection = z.output<typeof ConnectionSchema>;

/**
 * Parses a {@link FreeResources} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseFreeResources(json: unknown): FreeResources {
  return parse(FreeResourcesSchema, json, "FreeResources");
}

/** Non-throwing {@link parseFreeResources}. */
export function safeParseFreeResources(json: unknown): ParseResult<FreeResources> {
  return safeParse(FreeResourcesSchema, json, "FreeResources");
}

/**
 * Parses a {@link AvailableResources} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseAvailableResources(json: unknown): AvailableResources {
  return parse(AvailableResourcesSchema, json, "AvailableResources");
}

/** Non-throwing {@link parseAvailableResources}. */
export function safeParseAvailableResources(json: unknown): ParseResult<AvailableResources> {
  return safeParse(AvailableResourcesSchema, json, "AvailableResources");
}

/**
 * Parses a {@link Services} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseServices(json: unknown): Services {
  return parse(ServicesSchema, json, "Services");
}

/** Non-throwing {@link parseServices}. */
export function safeParseServices(json: unknown): ParseResult<Services> {
  return safeParse(ServicesSchema, json, "Services");
}

/**
 * Parses a {@link PeerData} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parsePeerData(json: unknown): PeerData {
  return parse(PeerDataSchema, json, "PeerData");
}

/** Non-throwing {@link parsePeerData}. */
export function safeParsePeerData(json: unknown): ParseResult<PeerData> {
  return safeParse(PeerDataSchema, json, "PeerData");
}

/**
 * Parses a {@link Capacity} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseCapacity(json: unknown): Capacity {
  return parse(CapacitySchema, json, "Capacity");
}

/** Non-throwing {@link parseCapacity}. */
export function safeParseCapacity(json: unknown): ParseResult<Capacity> {
  return safeParse(CapacitySchema, json, "Capacity");
}

/**
 * Parses a {@link Provisioned} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseProvisioned(json: unknown): Provisioned {
  return parse(ProvisionedSchema, json, "Provisioned");
}

/** Non-throwing {@link parseProvisioned}. */
export function safeParseProvisioned(json: unknown): ParseResult<Provisioned> {
  return safeParse(ProvisionedSchema, json, "Provisioned");
}

/**
 * Parses a {@link OnboardingConfig} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseOnboardingConfig(json: unknown): OnboardingConfig {
  return parse(OnboardingConfigSchema, json, "OnboardingConfig");
}

/** Non-throwing {@link parseOnboardingConfig}. */
export function safeParseOnboardingConfig(json: unknown): ParseResult<OnboardingConfig> {
  return safeParse(OnboardingConfigSchema, json, "OnboardingConfig");
}

/**
 * Parses a {@link Machine} record (gorm era: `DeletedAt` null for a live record).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseMachine(json: unknown): Machine {
  return parse(MachineSchema, json, "Machine");
}

/** Non-throwing {@link parseMachine}. */
export function safeParseMachine(json: unknown): ParseResult<Machine> {
  return safeParse(MachineSchema, json, "Machine");
}
