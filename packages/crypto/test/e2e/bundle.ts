// Bundles the built portable entry with esbuild, as a browser app would: an ES module build with code
// splitting (what loads at start is measured apart from what loads on demand) and a classic script
// (`--format=iife`), which is only possible because the entry has no top-level await.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

export const PORTABLE = fileURLToPath(new URL("../../dist/portable.js", import.meta.url));

/** An app's entry that imports `names` from the portable entry and puts them on `globalThis.dmsAge`. */
function entry(dir: string, names: string[] | "all"): string {
  const file = join(dir, "entry.js");
  const spec = JSON.stringify(PORTABLE);
  const code =
    names === "all"
      ? `import * as age from ${spec};\nglobalThis.dmsAge = age;\n`
      : `import { ${names.join(", ")} } from ${spec};\nglobalThis.dmsAge = { ${names.join(", ")} };\n`;
  writeFileSync(file, code);
  return file;
}

export interface EsmBundle {
  dir: string;
  /** Gzipped bytes of what a page loads before any dynamic import: the entry and its static imports. */
  eagerGzip: number;
  /** Gzipped bytes of the chunks loaded only by dynamic import. */
  lazyGzip: number;
  /** Input files (relative to the package) in the eager and the lazy part. */
  eagerInputs: string[];
  lazyInputs: string[];
  /** File names (in `dir`) of the chunks loaded only by dynamic import. */
  lazyFiles: string[];
}

/** An ES module build of an app using `names` (or everything), split into chunks. */
export async function esmBundle(names: string[] | "all"): Promise<EsmBundle> {
  const dir = mkdtempSync(join(tmpdir(), "dms-bundle-esm-"));
  const r = await build({
    entryPoints: [entry(dir, names)],
    bundle: true,
    minify: true,
    format: "esm",
    splitting: true,
    platform: "browser",
    outdir: join(dir, "out"),
    metafile: true,
    logLevel: "silent",
  });
  const outputs = r.metafile.outputs;
  const eager = new Set<string>();
  const visit = (out: string) => {
    if (eager.has(out)) return;
    eager.add(out);
    for (const i of outputs[out]?.imports ?? []) if (i.kind === "import-statement") visit(i.path);
  };
  const main = Object.keys(outputs).find((k) => outputs[k]?.entryPoint !== undefined) as string;
  visit(main);
  const pkg = fileURLToPath(new URL("../..", import.meta.url));
  const gz = (out: string) => gzipSync(readFileSync(join(process.cwd(), out)), { level: 9 }).length;
  const inputs = (outs: string[]) =>
    outs.flatMap((o) =>
      Object.keys(outputs[o]?.inputs ?? {}).map((i) => relative(pkg, join(process.cwd(), i))),
    );
  const all = Object.keys(outputs).filter((k) => k.endsWith(".js"));
  const lazy = all.filter((k) => !eager.has(k));
  return {
    dir: join(dir, "out"),
    eagerGzip: [...eager].reduce((n, o) => n + gz(o), 0),
    lazyGzip: lazy.reduce((n, o) => n + gz(o), 0),
    eagerInputs: inputs([...eager]),
    lazyInputs: inputs(lazy),
    lazyFiles: lazy.map((o) => basename(o)),
  };
}

/** The whole portable entry as one classic script that sets `globalThis.dmsAge`. */
export async function iifeBundle(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "dms-bundle-iife-"));
  const r = await build({
    entryPoints: [entry(dir, "all")],
    bundle: true,
    minify: true,
    format: "iife",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  return (r.outputFiles[0] as { text: string }).text;
}
