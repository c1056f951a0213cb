import { z } from "zod";
import type { NetworkType } from "./constants.js";
import { goInt } from "./go.js";
import type { SpecConfig } from "./spec-config.js";
import { SpecConfigSchema } from "./spec-config.js";
import type { ParseResult } from "./validate.js";
import { parse, safeParse } from "./validate.js";

export { NetP2P } from "./constants.js";

/** Network specification (upstream `NetworkSpec`, an empty stub upstream). */
export const NetworkSpecSchema = z.object({});
/** See {@link NetworkSpecSchema}. */
export type NetworkSpec = z.output<typeof NetworkSpecSchema>;

/** Network configuration as a spec (upstream `NetConfig`, JSON `network_spec`). */
export const NetConfigSchema = z.object({ network_spec: SpecConfigSchema });
/** See {@link NetConfigSchema}. */
export type NetConfig = z.output<typeof NetConfigSchema>;

/** Anything that carries a network spec (upstream `Config`). */
export interface NetworkConfigProvider {
  getNetworkConfig(): SpecConfig;
}

/** The network spec of `nc` (upstream `NetConfig.GetNetworkConfig`; the same object, not a copy). */
export function getNetworkConfig(nc: NetConfig): SpecConfig {
  return nc.network_spec;
}

/** Peer id and listening address of this node (upstream `NetworkStats`). */
export const NetworkStatsSchema = z.object({ id: z.string(), listen_addr: z.string() });
/** See {@link NetworkStatsSchema}. */
export type NetworkStats = z.output<typeof NetworkStatsSchema>;

/** Message information (upstream `MessageInfo`, a stub). */
export const MessageInfoSchema = z.object({ info: z.string() });
/** See {@link MessageInfoSchema}. */
export type MessageInfo = z.output<typeof MessageInfoSchema>;

/** A typed message (upstream `MessageEnvelope`; Go names; `Data` is base64, Go's `[]byte`). */
export const MessageEnvelopeSchema = z.object({ Type: z.string(), Data: z.base64().nullable() });
/** Kind of a {@link MessageEnvelope} (upstream `MessageType`, a Go string with no named values). */
export type MessageType = string;
/** Schema of a {@link MessageType}: any string, kept verbatim. */
export const MessageTypeSchema = z.string();
/** See {@link MessageEnvelopeSchema}. */
export type MessageEnvelope = z.output<typeof MessageEnvelopeSchema>;

export { NetworkType } from "./constants.js";
/** Schema of a {@link NetworkType}: any string, kept verbatim, as Go's decoder does. */
export const NetworkTypeSchema: z.ZodType<NetworkType> = z.string();

/**
 * Private libp2p network settings (upstream `PrivateNetworkConfig`, Go names): `WithSwarmKey` reads
 * `<config_path>/swarm.key`; `ACL` lists allowed multiaddrs as strings.
 */
export const PrivateNetworkConfigSchema = z.object({
  WithSwarmKey: z.boolean(),
  ACL: z.array(z.string()).nullable(),
});
/** See {@link PrivateNetworkConfigSchema}. */
export type PrivateNetworkConfig = z.output<typeof PrivateNetworkConfigSchema>;

/**
 * libp2p settings (upstream `Libp2pConfig`, Go names). Upstream holds live objects here (a private
 * key, a scheduler, a factory function) that do not serialise; this is OUR serialisable shape:
 * multiaddrs as strings, `PrivateKey` as base64 of the marshalled key (optional), no scheduler or
 * factory. Fields only some upstream versions have are optional.
 */
export const Libp2pConfigSchema = z.object({
  Env: z.string().optional(),
  DHTPrefix: z.string(),
  PrivateKey: z.base64().optional(),
  BootstrapPeers: z.array(z.string()).nullable(),
  Rendezvous: z.string(),
  Server: z.boolean(),
  CustomNamespace: z.string(),
  ListenAddress: z.array(z.string()).nullable(),
  PeerCountDiscoveryLimit: goInt,
  PrivateNetwork: PrivateNetworkConfigSchema.optional(),
  GracePeriodMs: goInt,
  GossipMaxMessageSize: goInt,
  BootstrapMaxSleep: goInt.optional(),
  Memory: goInt.optional(),
  FileDescriptors: goInt.optional(),
});
/** See {@link Libp2pConfigSchema}. */
export type Libp2pConfig = z.output<typeof Libp2pConfigSchema>;

/**
 * Network configuration for libp2p or NATS (upstream `NetworkConfig`): `Type`, the libp2p fields
 * inline (Go embeds `Libp2pConfig`, so its fields sit at the top level), and `NATSUrl`.
 */
export const NetworkConfigSchema = Libp2pConfigSchema.extend({
  Type: NetworkTypeSchema,
  NATSUrl: z.string(),
});
/** See {@link NetworkConfigSchema}. */
export type NetworkConfig = z.output<typeof NetworkConfigSchema>;

/**
 * Parses a {@link NetConfig} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseLibp2pConfig(json: unknown): Libp2pConfig {
  return parse(Libp2pConfigSchema, json, "Libp2pConfig");
}

/** Non-throwing {@link parseLibp2pConfig}. */
export function safeParseLibp2pConfig(json: unknown): ParseResult<Libp2pConfig> {
  return safeParse(Libp2pConfigSchema, json, "Libp2pConfig");
}
