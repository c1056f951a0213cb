import { z } from "zod";
import type { Comparison } from "./constants.js";

export { Comparison } from "./constants.js";

/** Schema of a {@link Comparison} on the wire. */
export const ComparisonSchema = z.enum(["Worse", "Better", "Equal", "None"]);

/** Comparison of named parts (upstream `ComplexComparison`, a `map[string]Comparison`). */
export type ComplexComparison = Record<string, Comparison>;

/** Something that compares itself with a required value of the same type. */
export interface Comparable<T> {
  compare(other: T): Comparison;
}

/** Something that can add and subtract a value of the same type. */
export interface Calculable<T> {
  add(other: T): void;
  subtract(other: T): void;
}

/**
 * Combines two comparisons exactly as upstream's `Comparison.And` (code and tests, not its doc table):
 * equal operands give that value; `Worse ∧ x = Worse` (even `None`); `None ∧ x = None`;
 * `Equal ∧ x = x`; `Better ∧ Worse = Worse`, `Better ∧ Equal = Better`, `Better ∧ None = None`.
 * Not commutative: `None ∧ Worse = None` but `Worse ∧ None = Worse`.
 */
export function and(left: Comparison, right: Comparison): Comparison {
  if (left === right) return left;
  switch (left) {
    case "Worse":
      return "Worse";
    case "None":
      return "None";
    case "Equal":
      return right;
    case "Better":
      return right === "Equal" ? "Better" : right;
  }
}

/**
 * The overall result of a complex comparison. Upstream folds `And` over a Go map, whose order is
 * random, so `{Worse, None}` comes out either way. Here the result does not depend on order at all:
 * it is decided by precedence **Worse > None > Better > Equal** — any `Worse` gives `Worse`; else any
 * `None` gives `None`; else any `Better` gives `Better`; else `Equal` (also for an empty map). This
 * equals upstream's fold whenever the fold meets the `Worse` before any `None`, and it agrees with
 * `and(Worse, None) = Worse`: a known shortfall outranks "not comparable".
 */
export function result(cc: ComplexComparison): Comparison {
  return resultOf(Object.values(cc));
}

/** {@link result} over a list of comparisons (same precedence, order-independent). */
export function resultOf(values: Iterable<Comparison>): Comparison {
  let hasNone = false;
  let hasBetter = false;
  for (const v of values) {
    if (v === "Worse") return "Worse";
    if (v === "None") hasNone = true;
    else if (v === "Better") hasBetter = true;
  }
  if (hasNone) return "None";
  return hasBetter ? "Better" : "Equal";
}

/** Numbers (or bigints): `==` Equal, `<` Worse, otherwise Better (upstream `NumericComparator`). */
export function numericComparator(left: number | bigint, right: number | bigint): Comparison {
  if (left === right) return "Equal";
  return left < right ? "Worse" : "Better";
}

/** Literals: `===` Equal, otherwise None (upstream `LiteralComparator`). */
export function literalComparator(left: string, right: string): Comparison {
  return left === right ? "Equal" : "None";
}

function hasCompare(v: unknown): v is { compare(other: unknown): Comparison } {
  return typeof v === "object" && v !== null && typeof (v as { compare?: unknown }).compare === "function";
}

/**
 * Field-by-field comparison of two plain objects (upstream `ComplexCompare`, which used reflection):
 * numbers and bigints use {@link numericComparator}, strings {@link literalComparator}, a field whose
 * value has a `compare(other)` method uses it; anything else (arrays, maps, booleans, plain nested
 * objects, a field missing on the right) gives `None`. Non-object inputs give `{}`. There are no
 * pointers to dereference in JS. Keys are the left object's own enumerable keys.
 */
export function complexCompare(left: unknown, right: unknown): ComplexComparison {
  const out: ComplexComparison = {};
  if (typeof left !== "object" || left === null || Array.isArray(left)) return out;
  if (typeof right !== "object" || right === null || Array.isArray(right)) return out;
  const r = right as Record<string, unknown>;
  for (const [k, l] of Object.entries(left)) {
    const rv = r[k];
    if (!Object.hasOwn(r, k)) out[k] = "None";
    else if ((typeof l === "number" || typeof l === "bigint") && typeof rv === typeof l)
      out[k] = numericComparator(l, rv as number | bigint);
    else if (typeof l === "string" && typeof rv === "string") out[k] = literalComparator(l, rv);
    else if (hasCompare(l)) out[k] = l.compare(rv);
    else out[k] = "None";
  }
  return out;
}
