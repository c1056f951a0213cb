// The import direction of src/ is enforced by Biome's noRestrictedImports (biome.json overrides,
// run by `npm test`). This keeps that configuration in step with the folders: a new folder gets a
// rule, and the rules still name the layers in order.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const ORDER = ["format", "backend", "stream", "recipients", "session", "workers", "adapters", "access", "fs"];
const TOP = "archive";

interface Override {
  includes: string[];
  linter: { rules: { style: { noRestrictedImports: { options: { patterns: { group: string[] }[] } } } } };
}

const biome = JSON.parse(readFileSync(new URL("../../../biome.json", import.meta.url), "utf8")) as {
  overrides: Override[];
};
const rules = new Map(
  biome.overrides
    .filter((o) => o.includes[0]?.startsWith("packages/crypto/src/"))
    .map((o) => [
      (o.includes[0] as string).split("/")[3] as string,
      o.linter.rules.style.noRestrictedImports.options.patterns.flatMap((p) => p.group),
    ]),
);

describe("crypto layers", () => {
  it("every folder of src is a known layer", () => {
    const folders = readdirSync(new URL("../src/", import.meta.url), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(folders).toEqual([...ORDER, TOP].sort());
  });

  it.each(ORDER)("%s/ may not import any layer above it", (layer) => {
    const forbidden = rules.get(layer) ?? [];
    for (const above of [...ORDER.slice(ORDER.indexOf(layer) + 1), TOP]) {
      if (layer === "stream" && above === "recipients") continue; // siblings, both on backend
      expect(forbidden).toContain(`../${above}/*`);
    }
  });

  it.each(["format", "stream", "recipients", "session", "access"])(
    "%s/ may not import node: modules",
    (layer) => {
      expect(rules.get(layer)).toContain("node:*");
    },
  );
});
