import { z } from "zod";
import type { Comparison } from "./comparison.js";
import { numericComparator, resultOf } from "./comparison.js";
import type { JobType } from "./constants.js";
import { TypesError } from "./errors.js";
import { addExecutors, compareExecutors, ExecutorsSchema, subtractExecutors } from "./executor.js";
import { goInt } from "./go.js";
import type { List } from "./lists.js";
import {
  bestMatch,
  compareSets,
  isStrictlyContained,
  sameList,
  shallowEqual,
  union,
  without,
} from "./lists.js";
import { addResources, compareResources, ResourcesSchema, subtractResources } from "./resources.js";
import type { ParseResult } from "./validate.js";
import { parse, safeParse } from "./validate.js";
import { parseConstraints, parseVersion, satisfies } from "./version.js";

/** Network needs or offer (upstream `Connectivity`). `ports` is `null` for a Go nil list. */
export const ConnectivitySchema = z.object({ ports: z.array(goInt).nullable(), vpn: z.boolean() });
/** See {@link ConnectivitySchema}. */
export type Connectivity = z.output<typeof ConnectivitySchema>;

/** Time limits (upstream `TimeInformation`): `units` is `seconds`, `minutes`, `hours` or `days`. */
export const TimeInformationSchema = z.object({ units: z.string(), max_time: goInt, preference: goInt });
/** See {@link TimeInformationSchema}. */
export type TimeInformation = z.output<typeof TimeInformationSchema>;

/** Pricing (upstream `PriceInformation`). */
export const PriceInformationSchema = z.object({
  currency: z.string(),
  currency_per_hour: goInt,
  total_per_job: goInt,
  preference: goInt,
});
/** See {@link PriceInformationSchema}. */
export type PriceInformation = z.output<typeof PriceInformationSchema>;

/** A library and a version constraint in hashicorp go-version syntax (upstream `Library`). */
export const LibrarySchema = z.object({ name: z.string(), constraint: z.string(), version: z.string() });
/** See {@link LibrarySchema}. */
export type Library = z.output<typeof LibrarySchema>;

/** A region (upstream `Locality`): `kind` (geographic, nunet-defined…) and `name`. */
export const LocalitySchema = z.object({ kind: z.string(), name: z.string() });
/** See {@link LocalitySchema}. */
export type Locality = z.output<typeof LocalitySchema>;

/** A KYC item (upstream `KYC`). */
export const KYCSchema = z.object({ type: z.string(), data: z.string() });
/** See {@link KYCSchema}. */
export type KYC = z.output<typeof KYCSchema>;

export { JobType } from "./constants.js";
/** Schema of a {@link JobType}. */
export const JobTypeSchema: z.ZodType<JobType> = z.string();
/** A list of job types (`null` for a Go nil list). */
export type JobTypes = JobType[];

/**
 * What a machine offers or a job needs (upstream `HardwareCapability`). JSON keys as upstream:
 * `executor`, `type` (job types), `resources`, `libraries`, `locality`, `connectivity`, `price`,
 * `time`, and `KYCs` (no tag upstream, so the Go name). Lists are `null` for Go nil lists.
 */
export const HardwareCapabilitySchema = z.object({
  executor: ExecutorsSchema,
  type: z.array(JobTypeSchema).nullable(),
  resources: ResourcesSchema,
  libraries: z.array(LibrarySchema).nullable(),
  locality: z.array(LocalitySchema).nullable(),
  connectivity: ConnectivitySchema,
  price: z.array(PriceInformationSchema).nullable(),
  time: TimeInformationSchema,
  KYCs: z.array(KYCSchema).nullable(),
});
/** See {@link HardwareCapabilitySchema}. */
export type HardwareCapability = z.output<typeof HardwareCapabilitySchema>;

/**
 * Same ports (same order) and VPN → Equal; own ports contain all required ports **and** own VPN is on
 * → Better; otherwise None (upstream rule, so `{[2000,3000], false}` vs `{[3000], false}` → None).
 * Departure (README table): `ports: null` and `ports: []` are the same list, so Equal; upstream's
 * `reflect.DeepEqual` tells nil from empty and gives None.
 */
export function compareConnectivity(own: Connectivity, required: Connectivity): Comparison {
  if (own.vpn === required.vpn && sameList(own.ports, required.ports, (a, b) => a === b)) return "Equal";
  if (isStrictlyContained(own.ports ?? [], required.ports ?? []) && own.vpn) return "Better";
  return "None";
}

/** Port union and VPN OR. Returns a new value. */
export function addConnectivity(own: Connectivity, other: Connectivity): Connectivity {
  return { ports: union(own.ports, other.ports, (a, b) => a === b), vpn: own.vpn || other.vpn };
}

/** Removes `other`'s ports (an empty result is `null`, Go's nil); `other.vpn` turns VPN off. */
export function subtractConnectivity(own: Connectivity, other: Connectivity): Connectivity {
  const ports = without(own.ports, other.ports, (a, b) => a === b);
  return { ports: ports.length === 0 ? null : ports, vpn: other.vpn ? false : own.vpn };
}

// A Map, not an object literal: a unit such as "toString" must not hit Object.prototype. Only the
// exact plural names count, as upstream's `switch t.Units`: "minute" or "Hours" is an unknown unit.
const UNIT_SECONDS = new Map<string, number>([
  ["seconds", 1],
  ["minutes", 60],
  ["hours", 3600],
  ["days", 86400],
]);

/**
 * `max_time` in seconds for the units `seconds`, `minutes`, `hours`, `days` (exact, case-sensitive);
 * any other unit (also `"minute"` or `"Hours"`) leaves `max_time` as is (upstream `TotalTime`).
 */
export function totalTime(t: TimeInformation): number {
  return t.max_time * (UNIT_SECONDS.get(t.units) ?? 1);
}

/** Compares {@link totalTime}. */
export function compareTimeInformation(own: TimeInformation, required: TimeInformation): Comparison {
  return numericComparator(totalTime(own), totalTime(required));
}

/** Adds `max_time` only (units are not converted, as upstream). */
export function addTimeInformation(own: TimeInformation, other: TimeInformation): TimeInformation {
  return { ...own, max_time: own.max_time + other.max_time };
}

/** Subtracts `max_time` only (no underflow check, as upstream). */
export function subtractTimeInformation(own: TimeInformation, other: TimeInformation): TimeInformation {
  return { ...own, max_time: own.max_time - other.max_time };
}

/**
 * Other currency → None. Same total → per-hour equal/lower/higher gives Equal/Better/Worse. Own
 * total lower → Better if own per-hour ≤ required per-hour, else Worse. Own total higher → Worse.
 */
export function comparePriceInformation(own: PriceInformation, required: PriceInformation): Comparison {
  if (own.currency !== required.currency) return "None";
  if (own.total_per_job === required.total_per_job) {
    if (own.currency_per_hour === required.currency_per_hour) return "Equal";
    return own.currency_per_hour < required.currency_per_hour ? "Better" : "Worse";
  }
  if (own.total_per_job < required.total_per_job) {
    return own.currency_per_hour <= required.currency_per_hour ? "Better" : "Worse";
  }
  return "Worse";
}

/**
 * Compares a library with a required one (hashicorp go-version semantics), in upstream's order:
 * the own `version` and the required constraint (`constraint + " " + version`, e.g. `"= 2.4.1"`, or
 * a full list such as `">= 1.0, < 2.0"` in `constraint` with an empty `version`) are parsed first, so
 * a bad one throws even when the names differ; then other name → None; satisfied with a `constraint`
 * of exactly `"="` → Equal; satisfied otherwise (also an empty constraint, which go-version reads as
 * `=`) → Better; not satisfied → Worse. The own `constraint` is not used.
 * @throws TypesError `ERR_TYPES_VERSION` `"error parsing version: …"` / `"error parsing constraint: …"`
 *   when a version or constraint cannot be parsed (upstream returns None with that error), also for
 *   a required library with neither constraint nor version.
 */
export function compareLibrary(own: Library, required: Library): Comparison {
  const version = wrapVersionError("version", () => parseVersion(own.version));
  const terms = wrapVersionError("constraint", () =>
    parseConstraints(`${required.constraint} ${required.version}`),
  );
  if (own.name !== required.name) return "None";
  if (!satisfies(version, terms)) return "Worse";
  return required.constraint === "=" ? "Equal" : "Better";
}

function wrapVersionError<T>(what: "version" | "constraint", f: () => T): T {
  return wrapError(`error parsing ${what}`, f);
}

// Prefixes a TypesError's message as upstream's fmt.Errorf("<prefix>: %v", err) does; code kept.
function wrapError<T>(prefix: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof TypesError)) throw e;
    throw new TypesError(e.code, `${prefix}: ${e.message}`, { field: e.field, cause: e });
  }
}

/**
 * Best-match rule over libraries (see `compareGPUs`; a required library with no own left → Worse).
 * Every own × required pair is compared first, as upstream does.
 * @throws TypesError `ERR_TYPES_VERSION` `"error comparing library: error parsing …"` when any pair
 *   cannot be parsed.
 */
export function compareLibraries(own: List<Library>, required: List<Library>): Comparison {
  const o = own ?? [];
  const r = required ?? [];
  // Upstream fills the whole required × own matrix before matching, so a library that cannot be
  // parsed is an error even when the matching would never have looked at it.
  const table = r.map((req) =>
    o.map((lib) => wrapError("error comparing library", () => compareLibrary(lib, req))),
  );
  return bestMatch(
    o.map((_, i) => i),
    r.map((_, j) => j),
    (i, j) => table[j]?.[i] ?? "None",
  );
}

/** Different kind → None; same name → Equal; same kind, other name → Worse. */
export function compareLocality(own: Locality, required: Locality): Comparison {
  if (own.kind !== required.kind) return "None";
  return own.name === required.name ? "Equal" : "Worse";
}

/**
 * Each required locality is compared with own localities of the same kind (the best of them counts).
 * Departure (README table): a required kind the machine does not have at all → None for the whole
 * list; upstream counts it as neither Worse nor Equal, so it gives Better. Otherwise any Worse →
 * Worse, all Equal (or none required) → Equal, else Better.
 */
export function compareLocalities(own: List<Locality>, required: List<Locality>): Comparison {
  const picks: Comparison[] = [];
  for (const req of required ?? []) {
    const same = (own ?? []).filter((o) => o.kind === req.kind);
    if (same.length === 0) return "None";
    picks.push(same.some((o) => o.name === req.name) ? "Equal" : "Worse");
  }
  if (picks.includes("Worse")) return "Worse";
  return picks.every((p) => p === "Equal") ? "Equal" : "Better";
}

/** KYC items compare Equal when type and data match, otherwise None. */
export function compareKYC(own: KYC, required: KYC): Comparison {
  return own.type === required.type && own.data === required.data ? "Equal" : "None";
}

// Own items outer, required items inner, as upstream's loops: with several prices the first own
// price that is comparable with any required one decides.
function firstNotNone<T>(own: List<T>, required: List<T>, cmp: (o: T, r: T) => Comparison): Comparison {
  for (const o of own ?? []) {
    for (const r of required ?? []) {
      const c = cmp(o, r);
      if (c !== "None") return c;
    }
  }
  return "None";
}

/**
 * Equal lists → Equal; nothing required but own non-empty → Better; otherwise the first pairwise
 * result (own outer, required inner, as upstream) that is not None, else None. Departure (README
 * table): `null` and `[]` are the same list here (Equal); upstream's `reflect.DeepEqual` says None.
 */
export function compareKYCs(own: List<KYC>, required: List<KYC>): Comparison {
  if (sameList(own, required, shallowEqual)) return "Equal";
  if ((required ?? []).length === 0 && (own ?? []).length > 0) return "Better";
  return firstNotNone(own, required, compareKYC);
}

/**
 * Equal lists → Equal; otherwise the first pairwise result that is not None, else None. The pairs
 * are tried own price by own price, each against every required price in order (upstream's loops).
 * Departure (README table): `null` and `[]` are the same list here (Equal); upstream says None.
 */
export function comparePricesInformation(
  own: List<PriceInformation>,
  required: List<PriceInformation>,
): Comparison {
  if (sameList(own, required, shallowEqual)) return "Equal";
  return firstNotNone(own, required, comparePriceInformation);
}

/** Same rule as {@link compareExecutors}. */
export function compareJobTypes(own: List<JobType>, required: List<JobType>): Comparison {
  return compareSets(own, required);
}

/** Union, keeping own order then new items. */
export function addJobTypes(own: List<JobType>, other: List<JobType>): JobTypes {
  return union(own, other, (a, b) => a === b);
}

/** Own job types without those in `other`. */
export function subtractJobTypes(own: List<JobType>, other: List<JobType>): JobTypes {
  return without(own, other, (a, b) => a === b);
}

/** Per-field comparisons of two capabilities, keyed by JSON name. */
export function compareHardwareCapabilityFields(own: HardwareCapability, required: HardwareCapability) {
  return {
    executor: compareExecutors(own.executor, required.executor),
    type: compareJobTypes(own.type, required.type),
    resources: compareResources(own.resources, required.resources),
    libraries: wrapError("error comparing Libraries", () =>
      compareLibraries(own.libraries, required.libraries),
    ),
    locality: compareLocalities(own.locality, required.locality),
    connectivity: compareConnectivity(own.connectivity, required.connectivity),
    price: comparePricesInformation(own.price, required.price),
    time: compareTimeInformation(own.time, required.time),
    KYCs: compareKYCs(own.KYCs, required.KYCs),
  } satisfies Record<keyof HardwareCapability, Comparison>;
}

/**
 * The overall result of the 9 field comparisons, with the order-independent precedence of
 * `result` (Worse > None > Better > Equal).
 * @throws TypesError `ERR_TYPES_VERSION` `"error comparing Libraries: …"` from {@link compareLibraries}.
 */
export function compareHardwareCapability(own: HardwareCapability, required: HardwareCapability): Comparison {
  return resultOf(Object.values(compareHardwareCapabilityFields(own, required)));
}

/**
 * Field-by-field sum: executors appended, job types / libraries / localities / prices / KYCs
 * unioned, resources added, connectivity and time added. Returns a new value.
 * @throws TypesError from `addResources`.
 */
export function addHardwareCapability(
  own: HardwareCapability,
  other: HardwareCapability,
): HardwareCapability {
  return {
    executor: addExecutors(own.executor, other.executor),
    type: addJobTypes(own.type, other.type),
    resources: addResources(own.resources, other.resources),
    libraries: union(own.libraries, other.libraries, shallowEqual),
    locality: union(own.locality, other.locality, shallowEqual),
    connectivity: addConnectivity(own.connectivity, other.connectivity),
    price: union(own.price, other.price, shallowEqual),
    time: addTimeInformation(own.time, other.time),
    KYCs: union(own.KYCs, other.KYCs, shallowEqual),
  };
}

/**
 * Field-by-field difference (lists lose the matching items). Returns a new value; nothing is
 * half-applied on failure.
 * @throws TypesError `ERR_TYPES_UNDERFLOW`, message with upstream's prefix:
 * `"error subtracting Resources: error subtracting RAM: size: underflow, …"` (`cause`: the inner error).
 */
export function subtractHardwareCapability(
  own: HardwareCapability,
  other: HardwareCapability,
): HardwareCapability {
  const resources = wrapError("error subtracting Resources", () =>
    subtractResources(own.resources, other.resources),
  );
  return {
    executor: subtractExecutors(own.executor, other.executor),
    type: subtractJobTypes(own.type, other.type),
    resources,
    libraries: without(own.libraries, other.libraries, shallowEqual),
    locality: without(own.locality, other.locality, shallowEqual),
    connectivity: subtractConnectivity(own.connectivity, other.connectivity),
    price: without(own.price, other.price, shallowEqual),
    time: subtractTimeInformation(own.time, other.time),
    KYCs: without(own.KYCs, other.KYCs, shallowEqual),
  };
}

/**
 * Parses a {@link HardwareCapability} wire document (unknown keys dropped, as Go ignores them).
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
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
 * @throws TypesError `ERR_TYPES_INVALID` with `field` set to the first bad field.
 */
export function parseKYC(json: unknown): KYC {
  return parse(KYCSchema, json, "KYC");
}

/** Non-throwing {@link parseKYC}. */
export function safeParseKYC(json: unknown): ParseResult<KYC> {
  return safeParse(KYCSchema, json, "KYC");
}
