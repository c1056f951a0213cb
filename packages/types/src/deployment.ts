import { z } from "zod";
import { BaseRecordSchema } from "./base.js";
import { goInt, goTime } from "./go.js";
import type { ParseResult } from "./validate.js";
import { parse, safeParse } from "./validate.js";

// Shapes from upstream `types/deployment.go` (JSON tags kept). The spec writer did not read these in
// detail; the field list here is from that file and is the wire contract we check.

/** Parameters of a deployment request (`params`). `packages` is `null` for a Go nil list. */
export const DeploymentParamsSchema = z.object({
  image_id: z.string(),
  model_url: z.string(),
  resume_job: z.object({ resume: z.boolean(), progress_file: z.string() }),
  packages: z.array(z.string()).nullable(),
  /** NodeID of the compute provider. */
  node_id: z.string(),
  /** Public key of the compute provider. */
  public_key: z.string(),
  /** NodeID of the service provider. */
  local_node_id: z.string(),
  local_public_key: z.string(),
  machine_type: z.string(),
});

/** Resource constraints of a deployment request (`constraints`). */
export const DeploymentConstraintsSchema = z.object({
  complexity: z.string(),
  cpu: goInt,
  ram: goInt,
  vram: goInt,
  power: goInt,
  time: goInt,
});

/** Trace context carried by a deployment request (`traceinfo`). */
export const TraceInfoSchema = z.object({
  trace_id: z.string(),
  span_id: z.string(),
  trace_flags: z.string(),
  trace_state: z.string(),
});

/**
 * A job deployment request (upstream `DeploymentRequest`). `address_user` is the service provider's
 * wallet address; `timestamp` is RFC 3339.
 */
export const DeploymentRequestSchema = z.object({
  address_user: z.string(),
  max_ntx: goInt,
  blockchain: z.string(),
  tx_hash: z.string(),
  service_type: z.string(),
  timestamp: goTime,
  metadata_hash: z.string(),
  withdraw_hash: z.string(),
  refund_hash: z.string(),
  distribute_50_hash: z.string(),
  distribute_75_hash: z.string(),
  params: DeploymentParamsSchema,
  constraints: DeploymentConstraintsSchema,
  traceinfo: TraceInfoSchema,
});
/** See {@link DeploymentRequestSchema}. */
export type DeploymentRequest = z.output<typeof DeploymentRequestSchema>;

/**
 * A stored deployment request (upstream `DeploymentRequestFlat`): base record fields, the request as
 * a JSON string in `deployment_request`, and `job_status`.
 */
export const DeploymentRequestFlatSchema = BaseRecordSchema.extend({
  deployment_request: z.string(),
  job_status: z.string(),
});
/** See {@link DeploymentRequestFlatSchema}. */
export type DeploymentRequestFlat = z.output<typeof DeploymentRequestFlatSchema>;

/** Reply to a deployment request (upstream `DeploymentResponse`). */
export const DeploymentResponseSchema = z.object({ success: z.boolean(), content: z.string() });
/** See {@link DeploymentResponseSchema}. */
export type DeploymentResponse = z.output<typeof DeploymentResponseSchema>;

/** A deployment progress message (upstream `DeploymentUpdate`). */
export const DeploymentUpdateSchema = z.object({ msg_type: z.string(), msg: z.string() });
/** See {@link DeploymentUpdateSchema}. */
export type DeploymentUpdate = z.output<typeof DeploymentUpdateSchema>;

/** Status of a blockchain transaction (upstream `BlockchainTxStatus`). */
export const BlockchainTxStatusSchema = z.object({
  transaction_type: z.string(),
  transaction_status: z.string(),
  tx_hash: z.string(),
});
/** See {@link BlockchainTxStatusSchema}. */
export type BlockchainTxStatus = z.output<typeof BlockchainTxStatusSchema>;

/**
 * Parses a {@link DeploymentRequest} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseBlockchainTxStatus(json: unknown): BlockchainTxStatus {
  return parse(BlockchainTxStatusSchema, json, "BlockchainTxStatus");
}

/** Non-throwing {@link parseBlockchainTxStatus}. */
export function safeParseBlockchainTxStatus(json: unknown): ParseResult<BlockchainTxStatus> {
  return safeParse(BlockchainTxStatusSchema, json, "BlockchainTxStatus");
}
