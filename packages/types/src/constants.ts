// The package's constants, importing nothing: `@dms/types/constants` loads no schema library, so a
// short-lived process (a `dms volume` call) can use them without zod's start-up cost. Each domain
// module re-exports its own from here, so the main entry exports the very same objects.

/**
 * How a volume is encrypted at rest. Upstream (`types/encryption.go`) defines only `Null = 0`.
 * `Age = 1` is OUR extension: a volume encrypted with age v1 by `@dms/crypto`. A Go DMS reading
 * `1` would see an unknown value.
 */
export const EncryptionType = { Null: 0, Age: 1 } as const;
/** One of the {@link EncryptionType} values (`0 | 1`). */
export type EncryptionType = (typeof EncryptionType)[keyof typeof EncryptionType];

/** Volume type of a bind mount into an executor (upstream `StorageVolumeTypeBind`). */
export const StorageVolumeTypeBind = "bind";
/** Storage provider name for S3 (upstream `StorageProviderS3`). */
export const StorageProviderS3 = "s3";
/** Storage provider name for IPFS (upstream `StorageProviderIPFS`). */
export const StorageProviderIPFS = "ipfs";

/** Observability levels as upstream numbers them (`types/telemetry_config.go`). */
export const ObservabilityLevel = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 } as const;
/** Name of an observability level. */
export type ObservabilityLevelName = keyof typeof ObservabilityLevel;
/** Numeric value of an observability level (1..6). */
export type ObservabilityLevelValue = (typeof ObservabilityLevel)[ObservabilityLevelName];

const LEVEL_NAMES: readonly ObservabilityLevelName[] = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

/**
 * Name of level `n`, or `"UNKNOWN"` for anything outside 1..6 (upstream `Level.String()`).
 *
 * @example levelName(4) // "WARN"; levelName(99) // "UNKNOWN"
 */
export function levelName(n: number): ObservabilityLevelName | "UNKNOWN" {
  return Number.isInteger(n) && n >= 1 && n <= 6 ? (LEVEL_NAMES[n - 1] ?? "UNKNOWN") : "UNKNOWN";
}

/**
 * Result of comparing what a machine has (left) with what is required (right). Upstream
 * `types/comparison.go`: a string, so these are also the wire values.
 */
export const Comparison = { Worse: "Worse", Better: "Better", Equal: "Equal", None: "None" } as const;
/** One of the {@link Comparison} values. */
export type Comparison = (typeof Comparison)[keyof typeof Comparison];

/** Job kinds (upstream `JobType`). */
export const JobType = {
  Batch: "batch",
  SingleRun: "single_run",
  Recurring: "recurring",
  LongRunning: "long_running",
} as const;
/** One of the {@link JobType} values. */
// Open, as Go's string type is: unknown job types are kept verbatim.
export type JobType = (typeof JobType)[keyof typeof JobType] | (string & {});

/** Execution states (upstream `ExecutionStatus`). */
export const ExecutionStatus = {
  Pending: "pending",
  Running: "running",
  Paused: "paused",
  Failed: "failed",
  Success: "success",
} as const;
/** One of the {@link ExecutionStatus} values. */
// Open, as Go's string type is: unknown states are kept verbatim.
export type ExecutionStatus = (typeof ExecutionStatus)[keyof typeof ExecutionStatus] | (string & {});

/** Executor backends (upstream `ExecutorType`). */
export const ExecutorType = { Docker: "docker", Firecracker: "firecracker", Wasm: "wasm" } as const;
/** One of the {@link ExecutorType} values. */
// Open, as Go's string type is: a newer node's executor ("containerd") is kept verbatim.
export type ExecutorType = (typeof ExecutorType)[keyof typeof ExecutorType] | (string & {});

/** Exit code of a successful execution (upstream `ExecutionStatusCodeSuccess`). */
export const ExecutionStatusCodeSuccess = 0;

/** GPU makers, as upstream spells them on the wire. */
export const GPUVendor = {
  Nvidia: "NVIDIA",
  AMDATI: "AMD/ATI",
  Intel: "Intel",
  Unknown: "Unknown",
  None: "None",
} as const;
/** One of the {@link GPUVendor} values. */
// Open, as Go's string type is: any vendor string (even "") is kept verbatim; compare by equality.
export type GPUVendor = (typeof GPUVendor)[keyof typeof GPUVendor] | (string & {});

/** Kinds of key uploaded to an allocation (upstream `AllocationKeyType`). */
export const AllocationKeyType = { SSH: "ssh", GPG: "gpg" } as const;
/** One of the {@link AllocationKeyType} values. */
// Open, as Go's string type is: other values are kept verbatim.
export type AllocationKeyType = (typeof AllocationKeyType)[keyof typeof AllocationKeyType] | (string & {});

/** Network name for peer-to-peer (upstream `NetP2P`). */
export const NetP2P = "p2p";

/** Network kinds (upstream `NetworkType`; `memory` is test-only). */
export const NetworkType = { Libp2p: "libp2p", NATS: "nats", Virtual: "memory" } as const;
/** One of the {@link NetworkType} values. */
// Open, as Go's string type is: other values are kept verbatim.
export type NetworkType = (typeof NetworkType)[keyof typeof NetworkType] | (string & {});
