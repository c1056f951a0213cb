import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import pkg from "../package.json" with { type: "json" };
import * as constants from "../src/constants.js";
import * as main from "../src/index.js";

describe("@dms/types/constants", () => {
  it("is an entry of the package", () => {
    expect(pkg.exports["./constants"]).toEqual({
      types: "./dist/constants.d.ts",
      default: "./dist/constants.js",
    });
  });

  it("imports nothing, so it loads no schema library", () => {
    const source = readFileSync(new URL("../src/constants.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/^\s*(import|export\s.*\sfrom)\s/m);
    expect(source).not.toMatch(/\bimport\(/);
  });

  it("exports the same objects as the main entry", () => {
    const names = Object.keys(constants);
    expect(names).toEqual(
      expect.arrayContaining(["EncryptionType", "StorageVolumeTypeBind", "ObservabilityLevel", "levelName"]),
    );
    const fromMain = new Map(Object.entries(main));
    for (const [name, value] of Object.entries(constants)) expect(fromMain.get(name), name).toBe(value);
  });

  it("keeps upstream's values", () => {
    expect(constants.EncryptionType).toEqual({ Null: 0, Age: 1 });
    expect(constants.StorageVolumeTypeBind).toBe("bind");
    expect(constants.ObservabilityLevel.WARN).toBe(4);
    expect(constants.levelName(6)).toBe("FATAL");
    expect(constants.levelName(0)).toBe("UNKNOWN");
  });
});
