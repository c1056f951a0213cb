import { z } from "zod";
import type { ExecutionStatus } from "./constants.js";
import { goInt } from "./go.js";
import { ResourcesSchema } from "./resources.js";
import { SpecConfigSchema } from "./spec-config.js";
import { StorageVolumeExecutorSchema } from "./storage.js";
import type { ParseResult } from "./validate.js";
import { parse, safeParse } from "./validate.js";

export { ExecutionStatus } from "./constants.js";
/** Schema of an {@link ExecutionStatus}. */
export const ExecutionStatusSchema: z.ZodType<ExecutionStatus> = z.string();

/** A port to publish (upstream `PortsToBind`, Go names). */
export const PortsToBindSchema = z.object({ IP: z.string(), HostPort: goInt, ExecutorPort: goInt });
/** See {@link PortsToBindSchema}. */
export type PortsToBind = z.output<typeof PortsToBindSchema>;

/**
 * A request to run a job (upstream `ExecutionRequest`; no JSON tags, so Go field names). `EngineSpec`
 * and `Resources` are Go pointers (`null` when nil); `Inputs`/`Outputs` are `null` for a nil list.
 * The newer upstream fields are optional: `PersistLogsDuration` (Go `time.Duration`, nanoseconds),
 * `ProvisionScripts` (name → base64, Go `[]byte`), `PortsToBind`, `GatewayIP`.
 */
export const ExecutionRequestSchema = z.object({
  JobID: z.string(),
  ExecutionID: z.string(),
  EngineSpec: SpecConfigSchema.nullable(),
  Resources: ResourcesSchema.nullable(),
  Inputs: z.array(StorageVolumeExecutorSchema).nullable(),
  Outputs: z.array(StorageVolumeExecutorSchema).nullable(),
  ResultsDir: z.string(),
  PersistLogsDuration: goInt.optional(),
  ProvisionScripts: z.record(z.string(), z.base64()).nullable().optional(),
  PortsToBind: z.array(PortsToBindSchema).nullable().optional(),
  GatewayIP: z.string().optional(),
});
/** See {@link ExecutionRequestSchema}. */
export type ExecutionRequest = z.output<typeof ExecutionRequestSchema>;

/** Outcome of an execution (upstream `ExecutionResult`; `killed` is newer, so optional). */
export const ExecutionResultSchema = z.object({
  stdout: z.string(),
  stderr: z.string(),
  exit_code: goInt,
  error_msg: z.string(),
  killed: z.boolean().optional(),
});
/** See {@link ExecutionResultSchema}. */
export type ExecutionResult = z.output<typeof ExecutionResultSchema>;

/** A result with the given exit code and empty output (upstream `NewExecutionResult`). */
export function newExecutionResult(exitCode: number): ExecutionResult {
  return { stdout: "", stderr: "", exit_code: exitCode, error_msg: "" };
}

/**
 * A failed result: exit code −1 and `error_msg` from the error's message (a non-Error value is
 * turned into a string). Upstream `NewFailedExecutionResult`.
 */
export function newFailedExecutionResult(err: unknown): ExecutionResult {
  const msg = err instanceof Error ? err.message : String(err);
  return { stdout: "", stderr: "", exit_code: -1, error_msg: msg };
}

/** A request to stream an execution's logs (upstream `LogStreamRequest`, Go names). */
export const LogStreamRequestSchema = z.object({
  JobID: z.string(),
  ExecutionID: z.string(),
  Tail: z.boolean(),
  Follow: z.boolean(),
});
/** See {@link LogStreamRequestSchema}. */
export type LogStreamRequest = z.output<typeof LogStreamRequestSchema>;

/** One entry of an executor's execution list (upstream `ExecutionListItem`, Go names). */
export const ExecutionListItemSchema = z.object({ ExecutionID: z.string(), Running: z.boolean() });
/** See {@link ExecutionListItemSchema}. */
export type ExecutionListItem = z.output<typeof ExecutionListItemSchema>;

/**
 * Runs jobs on one backend (upstream `Executor` lifecycle interface), promise-based. Upstream's
 * `Wait` returns two channels; here it is one promise that resolves with the result or rejects.
 * Implementations reject with their own package's error class.
 */
export interface Executor {
  getID(): string;
  start(request: ExecutionRequest): Promise<void>;
  run(request: ExecutionRequest): Promise<ExecutionResult>;
  pause(executionID: string): Promise<void>;
  resume(executionID: string): Promise<void>;
  wait(executionID: string): Promise<ExecutionResult>;
  cancel(executionID: string): Promise<void>;
  remove(executionID: string, timeoutMs: number): Promise<void>;
  cleanup(): Promise<void>;
  getLogStream(request: LogStreamRequest): Promise<ReadableStream<Uint8Array>>;
  list(): ExecutionListItem[];
  getStatus(executionID: string): Promise<ExecutionStatus>;
  waitForStatus(executionID: string, status: ExecutionStatus, timeoutMs?: number): Promise<void>;
  exec(containerID: string, command: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
}

/**
 * Parses a {@link ExecutionRequest} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseLogStreamRequest(json: unknown): LogStreamRequest {
  return parse(LogStreamRequestSchema, json, "LogStreamRequest");
}

/** Non-throwing {@link parseLogStreamRequest}. */
export function safeParseLogStreamRequest(json: unknown): ParseResult<LogStreamRequest> {
  return safeParse(LogStreamRequestSchema, json, "LogStreamRequest");
}
