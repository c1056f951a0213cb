import { lstat, mkdir, readdir, readFile, realpath, symlink, writeFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptDirectory, extractDirectory } from "../src/archive/directory.js";
import { ARCHIVE_ERROR_CODES } from "../src/archive/errors.js";
import { extractTar } from "../src/archive/extract.js";
import { checkName, resolveLimits } from "../src/archive/names.js";
import { AgeError } from "../src/errors.js";
import { generateIdentity, identityToRecipient } from "../src/recipients/keys.js";
import {
  buildTar,
  cleanup,
  listTree,
  readableOf,
  type TarEntry,
  tempDir,
} from "./fixtures/archive/helpers.js";

const CODES = new Set<string>(ARCHIVE_ERROR_CODES);
const TOKENS = [
  "a",
  "b",
  "B",
  "..",
  ".",
  "",
  "/",
  "\\",
  "C:",
  "\u0000",
  "\n",
  "ß",
  "ss",
  "\u00e9",
  "e\u0301",
  "//",
];
const hostileName = fc
  .array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 6 })
  .map((t) => t.join(""));

let base: string;
beforeAll(async () => {
  base = await tempDir("dms-props-");
});
afterAll(async () => {
  await cleanup(base);
});

function inside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

describe("checkName", () => {
  it("property: a name is refused with an archive code, or resolves inside the root", () => {
    const limits = resolveLimits();
    fc.assert(
      fc.property(hostileName, (name) => {
        let parts: string[];
        try {
          parts = checkName(name, limits);
        } catch (e) {
          expect(e).toBeInstanceOf(AgeError);
          expect(CODES.has((e as AgeError).code)).toBe(true);
          return;
        }
        const root = "/r";
        expect(inside(root, resolve(root, ...parts))).toBe(true);
        for (const p of parts) expect(["", ".", ".."]).not.toContain(p);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("extraction of random hostile archives", () => {
  it("the tree listing reports links without following them (two links to an ancestor)", async () => {
    // The property below can extract such a tree; a listing that followed the links never ended.
    const t = join(base, "loops");
    await mkdir(join(t, "a"), { recursive: true });
    await symlink("..", join(t, "a", "x"));
    await symlink("..", join(t, "a", "y"));
    expect(await listTree(t)).toEqual(["a/", "a/x@", "a/y@"]);
  });

  // Mostly plausible entries (files, links and directories cannot be each other's parents), so
  // many archives pass and the "everything lands inside" branch is really exercised.
  const dirs = fc.array(fc.constantFrom("a", "b", "c"), { maxLength: 2 });
  const leaf = (suffix: string) =>
    fc.tuple(dirs, fc.constantFrom("p", "q", "r")).map(([d, l]) => [...d, `${l}${suffix}`].join("/"));
  const target = fc
    .array(fc.constantFrom("a", "b", "p.f", "q.f", "..", "."), { minLength: 1, maxLength: 4 })
    .map((t) => t.join("/"));
  const pick = <T>(plain: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 5, arbitrary: plain }, { weight: 1, arbitrary: hostile });
  const entry = fc.oneof(
    pick(leaf(".f"), hostileName).map((n): TarEntry => ({ header: { name: n, type: "file" }, body: "x" })),
    pick(
      dirs.map((d) => `${d.join("/")}/`),
      hostileName,
    ).map((n): TarEntry => ({ header: { name: n.endsWith("/") ? n : `${n}/`, type: "directory" } })),
    fc
      .tuple(pick(leaf(".l"), hostileName), pick(target, hostileName))
      .map(([n, linkname]): TarEntry => ({ header: { name: n, type: "symlink", linkname } })),
    fc
      .tuple(pick(leaf(".h"), hostileName), pick(leaf(".f"), hostileName))
      .map(([n, linkname]): TarEntry => ({ header: { name: n, type: "link", linkname } })),
  );

  it("property: refused with an archive code and nothing written, or everything lands inside the target", async () => {
    let n = 0;
    let successes = 0;
    let linkSuccesses = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(entry, { minLength: 1, maxLength: 6, selector: (e) => e.header.name }),
        async (entries) => {
          const run = join(base, `run${n++}`);
          await mkdir(join(run, "outside"), { recursive: true });
          await writeFile(join(run, "outside", "sentinel"), "keep");
          const out = join(run, "out");
          let tar: Buffer;
          try {
            tar = await buildTar(entries);
          } catch {
            return; // tar-stream itself cannot encode this entry
          }
          try {
            await extractTar(readableOf(tar, 700), out, { allowLinks: true });
          } catch (e) {
            expect(e).toBeInstanceOf(AgeError);
            expect(CODES.has((e as AgeError).code)).toBe(true);
            expect((await readdir(run)).sort()).toEqual(["outside"]);
            return;
          }
          successes++;
          if (entries.some((e) => e.header.type === "symlink" || e.header.type === "link")) linkSuccesses++;
          const root = await realpath(out);
          for (const p of await listTree(out)) {
            const full = join(out, p.replace(/[/@]$/, ""));
            const st = await lstat(full);
            if (st.isSymbolicLink()) {
              const target = await realpath(full).catch(() => null);
              if (target !== null) expect(inside(root, target)).toBe(true);
            } else {
              expect(inside(root, await realpath(full))).toBe(true);
            }
          }
          expect((await readdir(run)).sort()).toEqual(["out", "outside"]);
          expect(await readFile(join(run, "outside", "sentinel"), "utf8")).toBe("keep");
        },
      ),
      { numRuns: 200 },
    );
    // The generator must also reach archives that pass, or the second branch proves nothing.
    expect(successes).toBeGreaterThan(12);
    expect(linkSuccesses).toBeGreaterThan(3);
  }, 180_000);
});

describe("encryptDirectory / extractDirectory", () => {
  const segment = fc.constantFrom("a", "b", "c.txt", "dir", "日本", "x y", "é");
  const tree = fc.uniqueArray(
    fc.record({
      path: fc.array(segment, { minLength: 1, maxLength: 3 }),
      size: fc.oneof(fc.constant(0), fc.nat(100), fc.nat(70_000)),
      exec: fc.boolean(),
    }),
    { minLength: 1, maxLength: 8, selector: (f) => f.path.join("/") },
  );

  it("property: any tree round-trips with contents and executable bits", async () => {
    const id = await generateIdentity();
    const rcpt = await identityToRecipient(id);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(tree, async (files) => {
        const run = join(base, `rt${n++}`);
        const src = join(run, "src");
        await mkdir(src, { recursive: true });
        const written = new Map<string, Buffer>();
        for (const f of files) {
          const rel = f.path.join("/");
          // Skip paths whose parent is already a file (or that would be a parent of one).
          if ([...written.keys()].some((k) => k.startsWith(`${rel}/`) || rel.startsWith(`${k}/`))) continue;
          await mkdir(join(src, ...f.path.slice(0, -1)), { recursive: true });
          const body = Buffer.alloc(f.size, rel.length);
          await writeFile(join(src, rel), body, { mode: f.exec ? 0o755 : 0o644 });
          written.set(rel, body);
        }
        await encryptDirectory(src, join(run, "t.age"), { recipients: [rcpt] });
        const out = join(run, "out");
        await extractDirectory(join(run, "t.age"), out, { identities: [id] });
        expect(await listTree(out)).toEqual(await listTree(src));
        for (const [rel, body] of written) {
          expect((await readFile(join(out, rel))).equals(body)).toBe(true);
          expect((await lstat(join(out, rel))).mode & 0o111).toBe(
            (await lstat(join(src, rel))).mode & 0o111 ? 0o111 : 0,
          );
        }
      }),
      { numRuns: 15 },
    );
  }, 180_000);
});
