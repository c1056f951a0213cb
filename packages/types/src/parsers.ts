// Named parsers for the main wire types; every other schema works with the generic `parse`.

import type { BaseRecord } from "./base.js";
import { BaseRecordSchema } from "./base.js";
import type {
  Connectivity,
  HardwareCapability,
  KYC,
  Library,
  Locality,
  PriceInformation,
  TimeInformation,
} from "./capability.js";
import {
  ConnectivitySchema,
  HardwareCapabilitySchema,
  KYCSchema,
  LibrarySchema,
  LocalitySchema,
  PriceInformationSchema,
  TimeInformationSchema,
} from "./capability.js";
import type { BlockchainTxStatus, DeploymentRequest, DeploymentRequestFlat } from "./deployment.js";
import {
  BlockchainTxStatusSchema,
  DeploymentRequestFlatSchema,
  DeploymentRequestSchema,
} from "./deployment.js";
import type { ExecutionRequest, ExecutionResult, LogStreamRequest } from "./execution.js";
import { ExecutionRequestSchema, ExecutionResultSchema, LogStreamRequestSchema } from "./execution.js";
import type { GPU } from "./gpu.js";
import { GPUSchema } from "./gpu.js";
import type { CPU, Disk, NetworkInfo, RAM } from "./hardware.js";
import { CPUSchema, DiskSchema, NetworkInfoSchema, RAMSchema } from "./hardware.js";
import type { Account, AllocationKey } from "./keys.js";
import { AccountSchema, AllocationKeySchema } from "./keys.js";
import type {
  AvailableResources,
  Capacity,
  FreeResources,
  OnboardingConfig,
  PeerData,
  Provisioned,
  Services,
} from "./machine.js";
import {
  AvailableResourcesSchema,
  CapacitySchema,
  FreeResourcesSchema,
  OnboardingConfigSchema,
  PeerDataSchema,
  ProvisionedSchema,
  ServicesSchema,
} from "./machine.js";
import type { Libp2pConfig, MessageEnvelope, NetConfig, NetworkConfig, NetworkStats } from "./network.js";
import {
  Libp2pConfigSchema,
  MessageEnvelopeSchema,
  NetConfigSchema,
  NetworkConfigSchema,
  NetworkStatsSchema,
} from "./network.js";
import type { CommittedResources, MachineResources, ResourceAllocation, Resources } from "./resources.js";
import {
  CommittedResourcesSchema,
  MachineResourcesSchema,
  ResourceAllocationSchema,
  ResourcesSchema,
} from "./resources.js";
import type { ParseResult } from "./validate.js";
import { parse, safeParse } from "./validate.js";

/**
 * Parses a {@link GPU} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseGPU(json: unknown): GPU {
  return parse(GPUSchema, json, "GPU");
}

/** Non-throwing {@link parseGPU}. */
export function safeParseGPU(json: unknown): ParseResult<GPU> {
  return safeParse(GPUSchema, json, "GPU");
}

/**
 * Parses a {@link CPU} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseCPU(json: unknown): CPU {
  return parse(CPUSchema, json, "CPU");
}

/** Non-throwing {@link parseCPU}. */
export function safeParseCPU(json: unknown): ParseResult<CPU> {
  return safeParse(CPUSchema, json, "CPU");
}

/**
 * Parses a {@link RAM} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseRAM(json: unknown): RAM {
  return parse(RAMSchema, json, "RAM");
}

/** Non-throwing {@link parseRAM}. */
export function safeParseRAM(json: unknown): ParseResult<RAM> {
  return safeParse(RAMSchema, json, "RAM");
}

/**
 * Parses a {@link Disk} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseDisk(json: unknown): Disk {
  return parse(DiskSchema, json, "Disk");
}

/** Non-throwing {@link parseDisk}. */
export function safeParseDisk(json: unknown): ParseResult<Disk> {
  return safeParse(DiskSchema, json, "Disk");
}

/**
 * Parses a {@link NetworkInfo} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseNetworkInfo(json: unknown): NetworkInfo {
  return parse(NetworkInfoSchema, json, "NetworkInfo");
}

/** Non-throwing {@link parseNetworkInfo}. */
export function safeParseNetworkInfo(json: unknown): ParseResult<NetworkInfo> {
  return safeParse(NetworkInfoSchema, json, "NetworkInfo");
}

/**
 * Parses a {@link Resources} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseResources(json: unknown): Resources {
  return parse(ResourcesSchema, json, "Resources");
}

/** Non-throwing {@link parseResources}. */
export function safeParseResources(json: unknown): ParseResult<Resources> {
  return safeParse(ResourcesSchema, json, "Resources");
}

/**
 * Parses a {@link MachineResources} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseResourceAllocation(json: unknown): ResourceAllocation {
  return parse(ResourceAllocationSchema, json, "ResourceAllocation");
}

/** Non-throwing {@link parseResourceAllocation}. */
export function safeParseResourceAllocation(json: unknown): ParseResult<ResourceAllocation> {
  return safeParse(ResourceAllocationSchema, json, "ResourceAllocation");
}

/**
 * Parses a {@link ExecutionRequest} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseExecutionRequest(json: unknown): ExecutionRequest {
  return parse(ExecutionRequestSchema, json, "ExecutionRequest");
}

/** Non-throwing {@link parseExecutionRequest}. */
export function safeParseExecutionRequest(json: unknown): ParseResult<ExecutionRequest> {
  return safeParse(ExecutionRequestSchema, json, "ExecutionRequest");
}

/**
 * Parses a {@link ExecutionResult} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseExecutionResult(json: unknown): ExecutionResult {
  return parse(ExecutionResultSchema, json, "ExecutionResult");
}

/** Non-throwing {@link parseExecutionResult}. */
export function safeParseExecutionResult(json: unknown): ParseResult<ExecutionResult> {
  return safeParse(ExecutionResultSchema, json, "ExecutionResult");
}

/**
 * Parses a {@link LogStreamRequest} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseLogStreamRequest(json: unknown): LogStreamRequest {
  return parse(LogStreamRequestSchema, json, "LogStreamRequest");
}

/** Non-throwing {@link parseLogStreamRequest}. */
export function safeParseLogStreamRequest(json: unknown): ParseResult<LogStreamRequest> {
  return safeParse(LogStreamRequestSchema, json, "LogStreamRequest");
}

/**
 * Parses a {@link HardwareCapability} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseHardwareCapability(json: unknown): HardwareCapability {
  return parse(HardwareCapabilitySchema, json, "HardwareCapability");
}

/** Non-throwing {@link parseHardwareCapability}. */
export function safeParseHardwareCapability(json: unknown): ParseResult<HardwareCapability> {
  return safeParse(HardwareCapabilitySchema, json, "HardwareCapability");
}

/**
 * Parses a {@link Connectivity} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseConnectivity(json: unknown): Connectivity {
  return parse(ConnectivitySchema, json, "Connectivity");
}

/** Non-throwing {@link parseConnectivity}. */
export function safeParseConnectivity(json: unknown): ParseResult<Connectivity> {
  return safeParse(ConnectivitySchema, json, "Connectivity");
}

/**
 * Parses a {@link TimeInformation} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseTimeInformation(json: unknown): TimeInformation {
  return parse(TimeInformationSchema, json, "TimeInformation");
}

/** Non-throwing {@link parseTimeInformation}. */
export function safeParseTimeInformation(json: unknown): ParseResult<TimeInformation> {
  return safeParse(TimeInformationSchema, json, "TimeInformation");
}

/**
 * Parses a {@link PriceInformation} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parsePriceInformation(json: unknown): PriceInformation {
  return parse(PriceInformationSchema, json, "PriceInformation");
}

/** Non-throwing {@link parsePriceInformation}. */
export function safeParsePriceInformation(json: unknown): ParseResult<PriceInformation> {
  return safeParse(PriceInformationSchema, json, "PriceInformation");
}

/**
 * Parses a {@link Library} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseLibrary(json: unknown): Library {
  return parse(LibrarySchema, json, "Library");
}

/** Non-throwing {@link parseLibrary}. */
export function safeParseLibrary(json: unknown): ParseResult<Library> {
  return safeParse(LibrarySchema, json, "Library");
}

/**
 * Parses a {@link Locality} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseLocality(json: unknown): Locality {
  return parse(LocalitySchema, json, "Locality");
}

/** Non-throwing {@link parseLocality}. */
export function safeParseLocality(json: unknown): ParseResult<Locality> {
  return safeParse(LocalitySchema, json, "Locality");
}

/**
 * Parses a {@link KYC} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseKYC(json: unknown): KYC {
  return parse(KYCSchema, json, "KYC");
}

/** Non-throwing {@link parseKYC}. */
export function safeParseKYC(json: unknown): ParseResult<KYC> {
  return safeParse(KYCSchema, json, "KYC");
}

/**
 * Parses a {@link DeploymentRequest} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseDeploymentRequest(json: unknown): DeploymentRequest {
  return parse(DeploymentRequestSchema, json, "DeploymentRequest");
}

/** Non-throwing {@link parseDeploymentRequest}. */
export function safeParseDeploymentRequest(json: unknown): ParseResult<DeploymentRequest> {
  return safeParse(DeploymentRequestSchema, json, "DeploymentRequest");
}

/**
 * Parses a {@link DeploymentRequestFlat} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseDeploymentRequestFlat(json: unknown): DeploymentRequestFlat {
  return parse(DeploymentRequestFlatSchema, json, "DeploymentRequestFlat");
}

/** Non-throwing {@link parseDeploymentRequestFlat}. */
export function safeParseDeploymentRequestFlat(json: unknown): ParseResult<DeploymentRequestFlat> {
  return safeParse(DeploymentRequestFlatSchema, json, "DeploymentRequestFlat");
}

/**
 * Parses a {@link BlockchainTxStatus} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseBlockchainTxStatus(json: unknown): BlockchainTxStatus {
  return parse(BlockchainTxStatusSchema, json, "BlockchainTxStatus");
}

/** Non-throwing {@link parseBlockchainTxStatus}. */
export function safeParseBlockchainTxStatus(json: unknown): ParseResult<BlockchainTxStatus> {
  return safeParse(BlockchainTxStatusSchema, json, "BlockchainTxStatus");
}

/**
 * Parses a {@link FreeResources} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseOnboardingConfig(json: unknown): OnboardingConfig {
  return parse(OnboardingConfigSchema, json, "OnboardingConfig");
}

/** Non-throwing {@link parseOnboardingConfig}. */
export function safeParseOnboardingConfig(json: unknown): ParseResult<OnboardingConfig> {
  return safeParse(OnboardingConfigSchema, json, "OnboardingConfig");
}

/**
 * Parses a {@link Account} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseAccount(json: unknown): Account {
  return parse(AccountSchema, json, "Account");
}

/** Non-throwing {@link parseAccount}. */
export function safeParseAccount(json: unknown): ParseResult<Account> {
  return safeParse(AccountSchema, json, "Account");
}

/**
 * Parses a {@link AllocationKey} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseAllocationKey(json: unknown): AllocationKey {
  return parse(AllocationKeySchema, json, "AllocationKey");
}

/** Non-throwing {@link parseAllocationKey}. */
export function safeParseAllocationKey(json: unknown): ParseResult<AllocationKey> {
  return safeParse(AllocationKeySchema, json, "AllocationKey");
}

/**
 * Parses a {@link NetConfig} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseNetConfig(json: unknown): NetConfig {
  return parse(NetConfigSchema, json, "NetConfig");
}

/** Non-throwing {@link parseNetConfig}. */
export function safeParseNetConfig(json: unknown): ParseResult<NetConfig> {
  return safeParse(NetConfigSchema, json, "NetConfig");
}

/**
 * Parses a {@link NetworkStats} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseNetworkStats(json: unknown): NetworkStats {
  return parse(NetworkStatsSchema, json, "NetworkStats");
}

/** Non-throwing {@link parseNetworkStats}. */
export function safeParseNetworkStats(json: unknown): ParseResult<NetworkStats> {
  return safeParse(NetworkStatsSchema, json, "NetworkStats");
}

/**
 * Parses a {@link MessageEnvelope} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseMessageEnvelope(json: unknown): MessageEnvelope {
  return parse(MessageEnvelopeSchema, json, "MessageEnvelope");
}

/** Non-throwing {@link parseMessageEnvelope}. */
export function safeParseMessageEnvelope(json: unknown): ParseResult<MessageEnvelope> {
  return safeParse(MessageEnvelopeSchema, json, "MessageEnvelope");
}

/**
 * Parses a {@link NetworkConfig} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseNetworkConfig(json: unknown): NetworkConfig {
  return parse(NetworkConfigSchema, json, "NetworkConfig");
}

/** Non-throwing {@link parseNetworkConfig}. */
export function safeParseNetworkConfig(json: unknown): ParseResult<NetworkConfig> {
  return safeParse(NetworkConfigSchema, json, "NetworkConfig");
}

/**
 * Parses a {@link Libp2pConfig} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseLibp2pConfig(json: unknown): Libp2pConfig {
  return parse(Libp2pConfigSchema, json, "Libp2pConfig");
}

/** Non-throwing {@link parseLibp2pConfig}. */
export function safeParseLibp2pConfig(json: unknown): ParseResult<Libp2pConfig> {
  return safeParse(Libp2pConfigSchema, json, "Libp2pConfig");
}

/**
 * Parses a {@link BaseRecord} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `path` set to the first bad field.
 */
export function parseBaseRecord(json: unknown): BaseRecord {
  return parse(BaseRecordSchema, json, "BaseRecord");
}

/** Non-throwing {@link parseBaseRecord}. */
export function safeParseBaseRecord(json: unknown): ParseResult<BaseRecord> {
  return safeParse(BaseRecordSchema, json, "BaseRecord");
}
