import { z } from "zod";
import { BaseRecordSchema } from "./base.js";
import { goFloat, goInt, goInt32 } from "./go.js";

// Upstream `types/elk_stats.go`: events once sent to the (now deprecated) stats DB. No JSON tags, so
// the keys are the Go field names. Go float32 fields are plain numbers here; `Timestamp` is a float32
// upstream, which cannot hold a Unix time in seconds exactly (about 2-minute steps in 2024); we keep
// the number as given.

const ChangedAttributeAndValue = z.object({
  CPU: goFloat,
  RAM: goFloat,
  Network: goFloat,
  DedicatedTime: goFloat,
});

/** A device was onboarded. */
export const NewDeviceOnboardedSchema = z.object({
  PeerID: z.string(),
  CPU: goFloat,
  RAM: goFloat,
  Network: goFloat,
  DedicatedTime: goFloat,
  Timestamp: goFloat,
});
/** See {@link NewDeviceOnboardedSchema}. */
export type NewDeviceOnboarded = z.output<typeof NewDeviceOnboardedSchema>;

/** A device's status changed. */
export const DeviceStatusChangeSchema = z.object({
  PeerID: z.string(),
  Status: z.string(),
  Timestamp: goFloat,
});
/** See {@link DeviceStatusChangeSchema}. */
export type DeviceStatusChange = z.output<typeof DeviceStatusChangeSchema>;

/** A device's resources changed. */
export const DeviceResourceChangeSchema = z.object({
  PeerID: z.string(),
  ChangedAttributeAndValue,
  Timestamp: goFloat,
});
/** See {@link DeviceResourceChangeSchema}. */
export type DeviceResourceChange = z.output<typeof DeviceResourceChangeSchema>;

/** A device's resource configuration changed (same shape as {@link DeviceResourceChange}). */
export const DeviceResourceConfigSchema = DeviceResourceChangeSchema;
/** See {@link DeviceResourceConfigSchema}. */
export type DeviceResourceConfig = DeviceResourceChange;

/** A service was registered. */
export const NewServiceSchema = z.object({
  ServiceID: z.string(),
  ServiceName: z.string(),
  ServiceDescription: z.string(),
  Timestamp: goFloat,
});
/** See {@link NewServiceSchema}. */
export type NewService = z.output<typeof NewServiceSchema>;

/** A host accepted a deployment request. */
export const ServiceCallSchema = z.object({
  CallID: goFloat,
  PeerIDOfServiceHost: z.string(),
  ServiceID: z.string(),
  CPUUsed: goFloat,
  MaxRAM: goFloat,
  MemoryUsed: goFloat,
  NetworkBwUsed: goFloat,
  TimeTaken: goFloat,
  Status: z.string(),
  AmountOfNtx: goInt32,
  Timestamp: goFloat,
});
/** See {@link ServiceCallSchema}. */
export type ServiceCall = z.output<typeof ServiceCallSchema>;

/** Status update of a running service. */
export const ServiceStatusSchema = z.object({
  CallID: goFloat,
  PeerIDOfServiceHost: z.string(),
  ServiceID: z.string(),
  Status: z.string(),
  Timestamp: goFloat,
});
/** See {@link ServiceStatusSchema}. */
export type ServiceStatus = z.output<typeof ServiceStatusSchema>;

/** A service was removed. */
export const ServiceRemoveSchema = z.object({ ServiceID: z.string(), Timestamp: goFloat });
/** See {@link ServiceRemoveSchema}. */
export type ServiceRemove = z.output<typeof ServiceRemoveSchema>;

/** A device was paid for a service. */
export const NtxPaymentSchema = z.object({
  CallID: goFloat,
  ServiceID: z.string(),
  AmountOfNtx: goInt32,
  PeerID: z.string(),
  SuccessFailStatus: z.string(),
  Timestamp: goFloat,
});
/** See {@link NtxPaymentSchema}. */
export type NtxPayment = z.output<typeof NtxPaymentSchema>;

/** Deprecated upstream: tracks a deployment request's status in the local DB. */
export const RequestTrackerSchema = BaseRecordSchema.extend({
  ServiceType: z.string(),
  NodeID: z.string(),
  CallID: goInt,
  Status: z.string(),
  RequestID: z.string(),
  MaxTokens: goInt,
});
/** See {@link RequestTrackerSchema}. */
export type RequestTracker = z.output<typeof RequestTrackerSchema>;
