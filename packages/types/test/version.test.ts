import { describe, expect, it } from "vitest";
import { compareVersions, parseConstraints, parseVersion, satisfies, TypesError } from "../src/index.js";
import vectors from "./vectors/go-version-constraints.json" with { type: "json" };

describe("go-version constraints (known answers)", () => {
  it.each(vectors.check)(
    "$version against $constraint → $satisfied",
    ({ constraint, version, satisfied }) => {
      expect(satisfies(version, constraint)).toBe(satisfied);
    },
  );

  it.each(vectors.parse)("parses $constraint", ({ constraint, terms, error }) => {
    if (error) {
      expect(() => parseConstraints(constraint)).toThrowError(
        expect.objectContaining({ code: "ERR_TYPES_VERSION" }),
      );
    } else {
      expect(parseConstraints(constraint)).toHaveLength(terms);
    }
  });
});

describe("versions", () => {
  it("pads segments and ignores build metadata", () => {
    expect(compareVersions(parseVersion("1.0"), parseVersion("1.0.0+build.5"))).toBe(0);
    expect(compareVersions(parseVersion("v1.2.10"), parseVersion("1.2.9"))).toBe(1);
    expect(compareVersions(parseVersion("1.0.0-alpha"), parseVersion("1.0.0"))).toBe(-1);
    expect(compareVersions(parseVersion("1.0.0-alpha.2"), parseVersion("1.0.0-alpha.10"))).toBe(-1);
  });

  it("supports != and <", () => {
    expect(satisfies("1.8.1", "!= 1.8.1")).toBe(false);
    expect(satisfies("1.8.1", "< 2, != 1.8.0")).toBe(true);
  });

  it.each(["", "abc", "1..2", "1.2.x", " 1.2.3", "1.2.3 ", "\t1.0"])(
    "rejects version %j with ERR_TYPES_VERSION",
    (bad) => {
      const err = (() => {
        try {
          parseVersion(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(TypesError);
      expect((err as TypesError).code).toBe("ERR_TYPES_VERSION");
    },
  );

  it("rejects an unknown operator", () => {
    expect(() => parseConstraints("=> 1.0")).toThrow(TypesError);
  });
});
