import type { Comparison } from "./comparison.js";

/**
 * Upstream `IsStrictlyContained`: every item of `right` is in `left`. Note: false when `right` is
 * empty (upstream's quirk, kept because list comparisons depend on it).
 */
export function isStrictlyContained<T>(left: readonly T[], right: readonly T[]): boolean {
  return right.length > 0 && right.every((x) => left.includes(x));
}

/**
 * Upstream's list comparison for executors and job types: same items in the same order → Equal; own
 * contains all required → Better; required contains all own → Worse; else None. `null` counts as an
 * empty list (Go's `reflect.DeepEqual` would tell nil from empty; here both are "nothing").
 * @internal
 */
export function compareSets<T>(
  own: readonly T[] | null | undefined,
  required: readonly T[] | null | undefined,
): Comparison {
  const l = own ?? [];
  const r = required ?? [];
  if (l.length === r.length && l.every((x, i) => x === r[i])) return "Equal";
  if (isStrictlyContained(l, r)) return "Better";
  if (isStrictlyContained(r, l)) return "Worse";
  return "None";
}

/**
 * Upstream's best-match rule for lists (GPUs, libraries): each required item (right), in order, takes
 * its best remaining own item (Equal > Better > Worse > None), which is then used up. Any Worse gives
 * Worse; all Equal (or nothing required) gives Equal; otherwise Better.
 *
 * Decision (upstream bug): upstream gives `Better` when a required item finds no own item left (e.g.
 * no own GPUs but one required), and stops matching early when fewer own items remain than the loop
 * index. Here a required item with no own item left counts as **Worse**: the machine cannot supply it.
 * @internal
 */
export function bestMatch<T>(own: readonly T[], required: readonly T[], cmp: (o: T, r: T) => Comparison) {
  const pool = [...own];
  const picks: Comparison[] = [];
  for (const req of required) {
    let bestIdx = -1;
    let best: Comparison | undefined;
    for (const rank of ["Equal", "Better", "Worse", "None"] as const) {
      bestIdx = pool.findIndex((o) => cmp(o, req) === rank);
      if (bestIdx >= 0) {
        best = rank;
        break;
      }
    }
    if (best === undefined) {
      picks.push("Worse");
      continue;
    }
    picks.push(best);
    pool.splice(bestIdx, 1);
  }
  if (picks.includes("Worse")) return "Worse";
  return picks.every((p) => p === "Equal") ? "Equal" : "Better";
}

/** A Go slice as it arrives: `null` (nil) counts as empty. @internal */
export type List<T> = readonly T[] | null | undefined;
/** @internal */
export const sameList = <T>(a: List<T>, b: List<T>, eq: (x: T, y: T) => boolean) => {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => eq(v, y[i] as T));
};
/** @internal */
export const union = <T>(a: List<T>, b: List<T>, eq: (x: T, y: T) => boolean): T[] => {
  const out = [...(a ?? [])];
  for (const v of b ?? []) if (!out.some((o) => eq(o, v))) out.push(v);
  return out;
};
/** @internal */
export const without = <T>(a: List<T>, b: List<T>, eq: (x: T, y: T) => boolean): T[] =>
  (a ?? []).filter((v) => !(b ?? []).some((o) => eq(o, v)));
// Shallow equality over both objects' keys: these records hold only strings and numbers.
/** @internal */
export const shallowEqual = <T extends object>(x: T, y: T): boolean => {
  const a = x as Record<string, unknown>;
  const b = y as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
};
