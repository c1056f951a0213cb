import { describe, expect, it } from "vitest";
import {
  isEmpty,
  isType,
  newSpecConfig,
  normalize,
  parseSpecConfig,
  SpecConfig,
  safeParseSpecConfig,
  validate,
  withParam,
} from "../src/index.js";

function specWith(type: string, params?: Record<string, unknown>): SpecConfig {
  const c = new SpecConfig(type);
  if (params === undefined) delete c.params;
  else c.params = params;
  return c;
}

describe("SpecConfig (upstream section 6 cases)", () => {
  it("new keeps the type and starts with empty params", () => {
    const c = newSpecConfig("docker");
    expect(c.type).toBe("docker");
    expect(c.params).toEqual({});
    expect(newSpecConfig(" Docker ").type).toBe(" Docker ");
  });

  it("withParam ×3 gives 3 params on the same instance", () => {
    const c = newSpecConfig("docker");
    const r = c.withParam("a", 1).withParam("b", "x").withParam("c", [1]);
    expect(r).toBe(c);
    expect(Object.keys(c.params ?? {})).toHaveLength(3);
    expect(c.params).toEqual({ a: 1, b: "x", c: [1] });
  });

  it("withParam creates absent params", () => {
    const c = specWith("docker");
    expect(c.params).toBeUndefined();
    c.withParam("image", "alpine");
    expect(c.params).toEqual({ image: "alpine" });
    expect(withParam(null, "k", 1)).toBeNull();
  });

  it("normalize trims the type, keeps case, fills params, and is nil-safe", () => {
    const c = specWith("  Docker  ");
    normalize(c);
    expect(c.type).toBe("Docker");
    expect(c.params).toEqual({});
    const d = specWith("docker", { image: "x" });
    d.normalize();
    expect(d.params).toEqual({ image: "x" });
    expect(() => normalize(null)).not.toThrow();
    expect(() => normalize(undefined)).not.toThrow();
  });

  it.each([
    [null, "nil spec config"],
    [specWith(""), "missing spec type"],
    [specWith("   "), "missing spec type"],
  ])("validate(%o) throws %s", (cfg, msg) => {
    expect(() => validate(cfg)).toThrowError(
      expect.objectContaining({ code: "ERR_TYPES_SPEC", message: msg }),
    );
  });

  it("validate accepts a type with or without params", () => {
    expect(() => validate(specWith("docker"))).not.toThrow();
    expect(() => validate(specWith("docker", { image: "x" }))).not.toThrow();
    expect(() => newSpecConfig("docker").validate()).not.toThrow();
    expect(() => validate(undefined)).toThrow("nil spec config");
  });

  it("isType: nil false; case-insensitive; trims only the argument", () => {
    expect(isType(null, "docker")).toBe(false);
    expect(isType(undefined, "docker")).toBe(false);
    expect(isType(specWith("Docker"), "docker")).toBe(true);
    expect(isType(specWith("docker"), "  docker  ")).toBe(true);
    expect(isType(specWith("docker"), "firecracker")).toBe(false);
    expect(isType(specWith(" docker"), "docker")).toBe(false);
    expect(newSpecConfig("docker").isType("DOCKER")).toBe(true);
  });

  it("trims and folds case as Go does (strings.TrimSpace, strings.EqualFold), not as JS does", () => {
    // U+0085 (NEL) is Go white space, U+FEFF (BOM) is not; JS's trim() has it the other way round.
    expect(isType(specWith("docker"), "\u0085docker\u0085")).toBe(true);
    expect(isType(specWith("docker"), "\uFEFFdocker")).toBe(false);
    expect(() => validate(specWith("\u0085"))).toThrow("missing spec type");
    expect(() => validate(specWith("\uFEFF"))).not.toThrow();
    expect(isEmpty(specWith("\u0085 ", {}))).toBe(true);
    expect(isEmpty(specWith("\uFEFF", {}))).toBe(false);
    const n = specWith("\u0085docker\uFEFF");
    normalize(n);
    expect(n.type).toBe("docker\uFEFF");
    // Simple case folding: ſ (long s) and K (Kelvin sign) fold to s and k; İ does not fold to i.
    expect(isType(specWith("ſtorage"), "STORAGE")).toBe(true);
    expect(isType(specWith("\u212Aata"), "kata")).toBe(true);
    expect(isType(specWith("\u0130"), "i\u0307")).toBe(false);
    expect(isType(specWith("straße"), "STRASSE")).toBe(false);
  });

  it.each([
    ["nil", null, true],
    ["('', {})", specWith("", {}), true],
    ["('   ', {})", specWith("   ", {}), true],
    ["('', nil)", specWith(""), true],
    ["('', {image})", specWith("", { image: "x" }), false],
    ["('docker', {})", specWith("docker", {}), false],
    ["('docker', {image})", specWith("docker", { image: "x" }), false],
  ])("isEmpty %s → %s", (_name, cfg, want) => {
    expect(isEmpty(cfg)).toBe(want);
  });
});

describe("SpecConfig wire form", () => {
  it("parses to an instance and serialises back with the same keys", () => {
    const doc = { type: "docker", params: { image: "alpine", env: ["A=1"] } };
    const c = parseSpecConfig(doc);
    expect(c).toBeInstanceOf(SpecConfig);
    expect(c.isType("docker")).toBe(true);
    expect(JSON.parse(JSON.stringify(c))).toEqual(doc);
  });

  it("omits empty or nil params like Go's omitempty", () => {
    expect(JSON.stringify(newSpecConfig("wasm"))).toBe('{"type":"wasm"}');
    expect(parseSpecConfig({ type: "wasm", params: null }).params).toBeUndefined();
  });

  it("reports the bad field", () => {
    const r = safeParseSpecConfig({ type: 3 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("ERR_TYPES_INVALID");
      expect(r.error.field).toBe("type");
      expect(r.error.message).toContain('"type"');
      expect(r.error.message).toContain("expected string");
    }
  });
});
