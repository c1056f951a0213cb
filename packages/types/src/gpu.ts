import { z } from "zod";
import type { Comparison } from "./comparison.js";
import { numericComparator } from "./comparison.js";
import type { GPUVendor } from "./constants.js";
import { TypesError } from "./errors.js";
import { goInt, goUint } from "./go.js";
import { bestMatch } from "./lists.js";
import { gpuFromSeed, SeedGPUSchema } from "./seed-hardware.js";
import { bytesToGB } from "./units.js";
import type { ParseResult } from "./validate.js";
import { eitherEra } from "./validate.js";

export { GPUVendor } from "./constants.js";

/** Schema of a {@link GPUVendor}. */
export const GPUVendorSchema: z.ZodType<GPUVendor> = z.string();

/** Vendors compare `Equal` when the same, otherwise `None`. */
export function compareGPUVendor(own: GPUVendor, required: GPUVendor): Comparison {
  return own === required ? "Equal" : "None";
}

/**
 * Maps a free-form vendor string (e.g. from `lspci`) to a {@link GPUVendor}, case-insensitively:
 * contains NVIDIA → NVIDIA; else AMD/ATI; else INTEL → Intel; else Unknown.
 *
 * Decision (upstream bug): upstream matches `ATI` anywhere, so `"Intel Corporation"` (CORPOR-ATI-ON)
 * comes out AMD/ATI. Here AMD/ATI needs a word starting with `AMD`, the whole word `ATI`, `RADEON`,
 * or `ADVANCED MICRO DEVICES`; so `"Intel Corporation"` → Intel, while every upstream test case
 * still gives the same answer.
 *
 * @example parseGPUVendor("Intel Corporation") // "Intel"
 */
export function parseGPUVendor(vendor: string): GPUVendor {
  const v = vendor.toUpperCase();
  if (v.includes("NVIDIA")) return "NVIDIA";
  if (/\bAMD|\bATI\b|\bRADEON\b|ADVANCED MICRO DEVICES/.test(v)) return "AMD/ATI";
  if (v.includes("INTEL")) return "Intel";
  return "Unknown";
}

/** A GPU (upstream `GPU`). `vram` is in bytes (Go `uint64`; values above 2^53 − 1 are rejected). */
export const GPUSchema = z.object({
  /** Self-reported index of the device in the system. */
  index: goInt,
  vendor: GPUVendorSchema,
  /** PCI address, `AAAA:BB:CC.C`. */
  pci_address: z.string(),
  model: z.string(),
  vram: goUint,
  uuid: z.string(),
});
/** See {@link GPUSchema}. */
export type GPU = z.output<typeof GPUSchema>;

/** A list of GPUs (Go `GPUs`; a nil list is `null` on the wire where the field has no omitempty). */
export type GPUs = GPU[];

/** Compares by VRAM only: more is Better, less is Worse. */
export function compareGPU(own: GPU, required: GPU): Comparison {
  return numericComparator(own.vram, required.vram);
}

/** A copy of `own` with `other.vram` added. */
export function addGPU(own: GPU, other: GPU): GPU {
  return { ...own, vram: own.vram + other.vram };
}

/**
 * A copy of `own` with `other.vram` taken away.
 * @throws TypesError `ERR_TYPES_UNDERFLOW` `"total VRAM: underflow, cannot subtract X from Y"`.
 */
export function subtractGPU(own: GPU, other: GPU): GPU {
  if (own.vram < other.vram) {
    throw new TypesError(
      "ERR_TYPES_UNDERFLOW",
      `total VRAM: underflow, cannot subtract ${other.vram} from ${own.vram}`,
    );
  }
  return { ...own, vram: own.vram - other.vram };
}

/** Same model, VRAM, index, vendor and PCI address (UUID is not compared, as upstream). */
export function equalGPU(a: GPU, b: GPU): boolean {
  return (
    a.model === b.model &&
    a.vram === b.vram &&
    a.index === b.index &&
    a.vendor === b.vendor &&
    a.pci_address === b.pci_address
  );
}

/** VRAM in whole gigabytes (10^9 bytes, rounded down). */
export function gpuVRAMInGB(g: GPU): number {
  return bytesToGB(g.vram);
}

/**
 * Compares own GPUs with required ones by the best-match rule (see `bestMatch`): any Worse →
 * Worse; all Equal or nothing required → Equal; else Better.
 *
 * Decision (upstream bug): upstream says Better when no own GPU is left for a required one (e.g. no
 * own GPUs, one required). Here that required GPU counts as Worse.
 */
export function compareGPUs(
  own: readonly GPU[] | null | undefined,
  required: readonly GPU[] | null | undefined,
) {
  return bestMatch(own ?? [], required ?? [], compareGPU);
}

function byIndex(other: readonly GPU[]): Map<number, GPU> {
  // Later entries with the same index win, as with upstream's map.
  return new Map(other.map((g) => [g.index, g]));
}

/**
 * Adds VRAM of `other` GPUs to own GPUs with the same index; GPUs only in `other` are ignored
 * (upstream behaviour). Returns a new list.
 */
export function addGPUs(own: readonly GPU[], other: readonly GPU[]): GPU[] {
  const m = byIndex(other);
  return own.map((g) => {
    const o = m.get(g.index);
    return o === undefined ? { ...g } : addGPU(g, o);
  });
}

/**
 * Takes VRAM of `other` GPUs from own GPUs with the same index. Returns a new list.
 * @throws TypesError `ERR_TYPES_UNDERFLOW` `"failed to subtract GPU <model>: total VRAM: underflow, …"`.
 */
export function subtractGPUs(own: readonly GPU[], other: readonly GPU[]): GPU[] {
  const m = byIndex(other);
  return own.map((g) => {
    const o = m.get(g.index);
    if (o === undefined) return { ...g };
    try {
      return subtractGPU(g, o);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new TypesError("ERR_TYPES_UNDERFLOW", `failed to subtract GPU ${g.model}: ${msg}`, { cause: e });
    }
  });
}

/** Same GPUs in any order (multiset comparison with {@link equalGPU}). */
export function equalGPUs(
  a: readonly GPU[] | null | undefined,
  b: readonly GPU[] | null | undefined,
): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  const used = new Array<boolean>(y.length).fill(false);
  return x.every((g) => {
    const j = y.findIndex((o, k) => !used[k] && equalGPU(g, o));
    if (j < 0) return false;
    used[j] = true;
    return true;
  });
}

/** A deep copy of the list. */
export function copyGPUs(gpus: readonly GPU[]): GPU[] {
  return gpus.map((g) => ({ ...g }));
}

/**
 * The GPU with the most VRAM (the first one on ties). Departure (README table): when every GPU has 0
 * VRAM this is the first GPU; upstream returns an empty `GPU{}` that is not in the list.
 * @throws TypesError `ERR_TYPES_NOT_FOUND` `"no GPUs found"` for an empty list.
 */
export function maxFreeVRAMGPU(gpus: readonly GPU[]): GPU {
  const first = gpus[0];
  if (first === undefined) throw new TypesError("ERR_TYPES_NOT_FOUND", "no GPUs found");
  return gpus.reduce((best, g) => (g.vram > best.vram ? g : best), first);
}

/**
 * The GPU with the given index.
 * @throws TypesError `ERR_TYPES_NOT_FOUND` `"GPU with index N not found"`.
 */
export function getGPUWithIndex(gpus: readonly GPU[], index: number): GPU {
  const g = gpus.find((x) => x.index === index);
  if (g === undefined) throw new TypesError("ERR_TYPES_NOT_FOUND", `GPU with index ${index} not found`);
  return g;
}

const gpuEra = eitherEra(
  GPUSchema,
  SeedGPUSchema,
  gpuFromSeed,
  {
    seed: ["Index", "PCIAddress", "TotalVRAM", "Name", "UsedVRAM", "FreeVRAM"],
    tagged: ["index", "pci_address", "vram", "uuid"],
  },
  "GPU",
);

/**
 * Parses a {@link GPU} wire document of either era: the newer tagged shape, or the seed's with Go
 * field names (see `seed-hardware.ts`). Unknown keys are dropped, as Go ignores them.
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseGPU(json: unknown): GPU {
  return gpuEra.parse(json);
}

/** Non-throwing {@link parseGPU}. */
export function safeParseGPU(json: unknown): ParseResult<GPU> {
  return gpuEra.safeParse(json);
}
