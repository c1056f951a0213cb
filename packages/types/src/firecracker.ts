import { z } from "zod";
import { BaseRecordSchema } from "./base.js";
import { goInt, goSlice, goUint } from "./go.js";
import type { ParseResult } from "./validate.js";
import { parsers } from "./validate.js";

// Firecracker API documents as upstream `types/firecracker.go` writes them (JSON tags kept).

/** Kernel and command line of a microVM (upstream `BootSource`). */
export const BootSourceSchema = z.object({ kernel_image_path: z.string(), boot_args: z.string() });
/** See {@link BootSourceSchema}. */
export type BootSource = z.output<typeof BootSourceSchema>;

/** A block device of a microVM (upstream `Drives`, one drive despite the name). */
export const DrivesSchema = z.object({
  drive_id: z.string(),
  path_on_host: z.string(),
  is_root_device: z.boolean(),
  is_read_only: z.boolean(),
});
/** See {@link DrivesSchema}. */
export type Drives = z.output<typeof DrivesSchema>;

/** vCPUs and memory of a microVM (upstream `MachineConfig`). */
export const MachineConfigSchema = z.object({ vcpu_count: goInt, mem_size_mib: goInt });
/** See {@link MachineConfigSchema}. */
export type MachineConfig = z.output<typeof MachineConfigSchema>;

/** A network interface of a microVM (upstream `NetworkInterfaces`, one interface). */
export const NetworkInterfacesSchema = z.object({
  iface_id: z.string(),
  guest_mac: z.string(),
  host_dev_name: z.string(),
});
/** See {@link NetworkInterfacesSchema}. */
export type NetworkInterfaces = z.output<typeof NetworkInterfacesSchema>;

/** MMDS settings (upstream `MMDSConfig`); `network_interfaces` is `null` for a Go nil list. */
export const MMDSConfigSchema = z.object({ network_interfaces: goSlice(z.string()) });
/** See {@link MMDSConfigSchema}. */
export type MMDSConfig = z.output<typeof MMDSConfigSchema>;

/** A microVM action such as `InstanceStart` (upstream `Actions`). */
export const ActionsSchema = z.object({ action_type: z.string() });
/** See {@link ActionsSchema}. */
export type Actions = z.output<typeof ActionsSchema>;

/** A stored microVM (upstream `VirtualMachine`: gorm base fields, then JSON tags). */
export const VirtualMachineSchema = BaseRecordSchema.extend({
  socket_file: z.string(),
  boot_source: z.string(),
  filesystem: z.string(),
  vcpu_count: goUint,
  mem_size_mib: goUint,
  tap_device: z.string(),
  state: z.string(),
});
/** See {@link VirtualMachineSchema}. */
export type VirtualMachine = z.output<typeof VirtualMachineSchema>;

const bs = parsers(BootSourceSchema, "BootSource");
const vm = parsers(VirtualMachineSchema, "VirtualMachine");

/** Parses a {@link BootSource}. @throws TypesError `ERR_TYPES_INVALID` with `field` set. */
export const parseBootSource: (json: unknown) => BootSource = bs.parse;
/** Non-throwing {@link parseBootSource}. */
export const safeParseBootSource: (json: unknown) => ParseResult<BootSource> = bs.safeParse;
/** Parses a {@link VirtualMachine}. @throws TypesError `ERR_TYPES_INVALID` with `field` set. */
export const parseVirtualMachine: (json: unknown) => VirtualMachine = vm.parse;
/** Non-throwing {@link parseVirtualMachine}. */
export const safeParseVirtualMachine: (json: unknown) => ParseResult<VirtualMachine> = vm.safeParse;
