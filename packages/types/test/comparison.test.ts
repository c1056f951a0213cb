import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  and,
  type Comparison,
  complexCompare,
  literalComparator,
  numericComparator,
  result,
  resultOf,
} from "../src/index.js";

const ALL: Comparison[] = ["Better", "Worse", "Equal", "None"];

describe("and (upstream table)", () => {
  it.each([
    ["Better", ["Better", "Worse", "Better", "None"]],
    ["Worse", ["Worse", "Worse", "Worse", "Worse"]],
    ["Equal", ["Better", "Worse", "Equal", "None"]],
    ["None", ["None", "None", "None", "None"]],
  ] as const)("%s ∧ [B, W, E, N]", (left, want) => {
    expect(ALL.map((r) => and(left, r))).toEqual(want);
  });
});

describe("result", () => {
  it.each([
    [["Equal", "Equal", "Equal"], "Equal"],
    [["Worse", "Worse", "Worse"], "Worse"],
    [["Better", "Better", "Better"], "Better"],
    [["None", "None", "None"], "None"],
    [["Better", "Worse", "Equal"], "Worse"],
    [[], "Equal"],
  ] as const)("%o → %s", (vals, want) => {
    const cc = Object.fromEntries(vals.map((v, i) => [`k${i}`, v]));
    expect(result(cc)).toBe(want);
  });

  it("{Worse, None} gives Worse in every insertion order", () => {
    expect(result({ a: "Worse", b: "None" })).toBe("Worse");
    expect(result({ a: "None", b: "Worse" })).toBe("Worse");
    expect(result({ b: "None", a: "Worse" })).toBe("Worse");
    expect(result({ b: "Worse", a: "None" })).toBe("Worse");
  });

  it("does not depend on order (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALL), { maxLength: 12 }), (vals) => {
        const want = resultOf(vals);
        expect(resultOf([...vals].reverse())).toBe(want);
        expect(resultOf([...vals].sort())).toBe(want);
      }),
    );
  });

  it("agrees with upstream's left fold when no None precedes a Worse", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALL), { maxLength: 12 }), (vals) => {
        const firstWorse = vals.indexOf("Worse");
        const firstNone = vals.indexOf("None");
        fc.pre(firstNone < 0 || (firstWorse >= 0 && firstWorse < firstNone));
        expect(resultOf(vals)).toBe(vals.reduce<Comparison>((acc, v) => and(acc, v), "Equal"));
      }),
    );
  });
});

describe("comparators", () => {
  it.each([
    [1, 1, "Equal"],
    [1, 2, "Worse"],
    [2, 1, "Better"],
    [1.5, 1.5, "Equal"],
    [1.5, 2.5, "Worse"],
    [2.5, 1.5, "Better"],
    [10n, 10n, "Equal"],
    [5n, 10n, "Worse"],
    [15n, 10n, "Better"],
  ] as const)("numeric %s vs %s → %s", (l, r, want) => {
    expect(numericComparator(l, r)).toBe(want);
  });

  it("literal", () => {
    expect(literalComparator("test", "test")).toBe("Equal");
    expect(literalComparator("test", "test2")).toBe("None");
  });

  it("complexCompare compares field by field", () => {
    const l = { Int: 20, Str: "test", Float: 1.0, Uint: 200n, List: [1], Map: new Map(), Flag: true };
    const r = { Int: 10, Str: "test", Float: 2.0, Uint: 100n, List: [1], Map: new Map(), Flag: true };
    expect(complexCompare(l, r)).toEqual({
      Int: "Better",
      Str: "Equal",
      Float: "Worse",
      Uint: "Better",
      List: "None",
      Map: "None",
      Flag: "None",
    });
  });

  it("complexCompare uses a field's compare method", () => {
    const mk = (n: number) => ({ n, compare: (o: { n: number }) => numericComparator(n, o.n) });
    expect(complexCompare({ part: mk(3) }, { part: mk(5) })).toEqual({ part: "Worse" });
  });

  it("complexCompare on non-objects is empty; a missing right field is None", () => {
    expect(complexCompare(1, 2)).toEqual({});
    expect(complexCompare(null, {})).toEqual({});
    expect(complexCompare({ a: 1 }, {})).toEqual({ a: "None" });
  });
});
