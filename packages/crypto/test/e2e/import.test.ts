// `sideEffects: false` is a promise: importing the package does no work and loads no heavy module
// until a feature needs it. Checked in a fresh process against the built package.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "dist", "index.js");

function loadedAfter(code: string): string[] {
  const script = `
    import { createRequire } from "node:module";
    const age = await import(${JSON.stringify(dist)});
    ${code}
    const req = createRequire(import.meta.url);
    console.log(JSON.stringify(Object.keys(req.cache).filter((k) => k.includes("node_modules"))));`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout) as string[];
}

it("importing the package loads no CommonJS dependency (tar-stream, tweetnacl)", () => {
  expect(loadedAfter("")).toEqual([]);
});

it("packing needs no tar library; extraction loads tar-stream on first use (so the check above can fail)", () => {
  const loaded = loadedAfter(`
    const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
    const d = mkdtempSync("/tmp/dms-import-");
    writeFileSync(d + "/f", "x");
    await age.encryptDirectory(d, d + "/f.age", { passphrase: "p", workFactor: 2 });
    if (Object.keys((await import("node:module")).createRequire(import.meta.url).cache).length) throw new Error("packing loaded CommonJS");
    await age.extractDirectory(d + "/f.age", d + "/out", { passphrase: "p" });
    rmSync(d, { recursive: true });`);
  expect(loaded.some((k) => k.includes("tar-stream"))).toBe(true);
});

/** The npm packages whose ES modules a fresh process loads running `code` after importing dist/. */
function esmPackagesAfter(code: string): string[] {
  const hooks = `data:text/javascript,${encodeURIComponent(
    'export async function load(u, c, n) { if (u.includes("/node_modules/")) process.stderr.write("LOAD " + u + "\\n"); return n(u, c); }',
  )}`;
  const script = `
    import { register } from "node:module";
    register(${JSON.stringify(hooks)});
    const age = await import(${JSON.stringify(dist)});
    ${code}`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  const names = r.stderr
    .split("\n")
    .filter((l) => l.startsWith("LOAD "))
    .map(
      (l) => /node_modules\/(@[^/]+\/[^/]+|[^/.][^/]*)\//.exec(l.slice(5).split("/.pnpm/").pop() ?? "")?.[1],
    );
  return [...new Set(names.filter((n): n is string => n !== undefined))].sort();
}

it("an X25519 round trip on Node loads no noble module (only @scure/base, for Bech32); the portable backend loads on request", () => {
  const roundTrip = (backend: string) => `
    const id = await age.generateIdentity();
    const ct = await age.encrypt("x", { recipients: [await age.identityToRecipient(id)], backend: "${backend}" });
    if (await age.decrypt(ct, { identities: [id], backend: "${backend}" }, "text") !== "x") throw new Error("round trip");`;
  expect(esmPackagesAfter(roundTrip("native"))).toEqual(["@scure/base"]);
  const portable = esmPackagesAfter(roundTrip("portable"));
  expect(portable).toContain("@noble/ciphers");
  expect(portable).toContain("@noble/hashes");
});
