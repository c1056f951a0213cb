import { z } from "zod";
import { goInt } from "./go.js";
import type { SpecConfig } from "./spec-config.js";
import { SpecConfigSchema } from "./spec-config.js";

/** Network name for peer-to-peer (upstream `NetP2P`). */
export const NetP2P = "p2p";

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
/** See {@link MessageEnvelopeSchema}. */
export type MessageEnvelope = z.output<typeof MessageEnvelopeSchema>;

/** Network kinds (upstream `NetworkType`; `memory` is test-only). */
export const NetworkType = { Libp2p: "libp2p", NATS: "nats", Virtual: "memory" } as const;
/** One of the {@link NetworkType} values. */
export type NetworkType = (typeof NetworkType)[keyof typeof NetworkType];

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
  Type: z.enum(["libp2p", "nats", "memory"]),
  NATSUrl: z.string(),
});
/** See {@link NetworkConfigSchema}. */
export type NetworkConfig = z.output<typeof NetworkConfigSchema>;
