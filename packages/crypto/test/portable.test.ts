// The portable entry (`@dms/crypto/portable`) and the portable backend must load outside Node:
// no runtime `node:` import anywhere in their import graphs (type-only imports are erased).
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { getBackend } from "../src/backend/select.js";

const SRC = join(dirname(fileURLToPath(import.meta.url)), "..", "src");

/** Runtime import specifiers of a module (skipping `import type` / `export type`). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  const re = /^(import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)";/gms;
  for (const m of text.matchAll(re)) if (!m[2]) out.push(m[3] as string);
  return out;
}

function graph(entry: string): { files: string[]; external: string[] } {
  const seen = new Set<string>();
  const external = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith(".")) walk(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
      else external.add(spec);
    }
  };
  walk(join(SRC, entry));
  return { files: [...seen], external: [...external] };
}

describe("portable import graph", () => {
  it.each(["portable.ts", "backend/portable.ts"])("%s imports nothing from node:", (entry) => {
    const g = graph(entry);
    expect(g.files.length).toBeGreaterThan(entry === "portable.ts" ? 10 : 1);
    expect(g.external.filter((s) => s.startsWith("node:"))).toEqual([]);
    for (const s of g.external) expect(s).toMatch(/^(@noble\/|@scure\/base$|tweetnacl$)/);
  });

  it("the full entry does import node: (so the check above can fail)", () => {
    expect(graph("index.ts").external.some((s) => s.startsWith("node:"))).toBe(true);
  });

  it("the portable entry works", async () => {
    const p = await import("../src/portable.js");
    const id = await p.generateIdentity();
    const ct = await p.encrypt(new Uint8Array([1, 2, 3]), {
      recipients: [await p.identityToRecipient(id)],
      backend: "portable",
    });
    expect([...(await p.decrypt(ct, { identities: [id], backend: "portable" }))]).toEqual([1, 2, 3]);
  });

  it("without require (a browser), the portable entry provides tweetnacl", async () => {
    vi.resetModules();
    const proc = process as { getBuiltinModule?: unknown };
    const real = proc.getBuiltinModule;
    proc.getBuiltinModule = undefined;
    try {
      const bare = await import("../src/backend/nacl.js");
      expect(() => bare.getNacl()).toThrow(/import @dms\/crypto\/portable/);
      await import("../src/portable.js");
      const scalar = new Uint8Array(32).fill(7);
      const fromPortable = bare.getNacl().scalarMult.base(scalar);
      proc.getBuiltinModule = real;
      expect(fromPortable).toEqual(new Uint8Array(getBackend("native").x25519(scalar)));
    } finally {
      proc.getBuiltinModule = real;
      vi.resetModules();
    }
  });
});
