// Bundles what `bin/dms.js` runs into dist/bundle/: the CLI with @dms/crypto, @dms/fs and
// @dms/types, split at the CLI's dynamic imports (so a file command still loads only the crypto
// core, and the rest only when used). Node 20 spends ~0.5 ms per ES module resolving and linking
// it; a 1 KiB `dms encrypt` loaded ~50 of them, and took ~110 ms against ~88 ms bundled.
// Left outside: @dms/storage and @dms/storage-s3 (loaded only by the volume and s3:// commands,
// with the AWS SDK and a native module behind them), and the CommonJS packages @dms/crypto
// requires at run time (tar-stream, tweetnacl), which is why they are dependencies of this package.
// Errors cross from those packages by name and code, never by class identity, so their own copy
// of @dms/crypto and @dms/fs is harmless.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
// The crypto worker pool starts `./worker.js` beside its own module: the bundle carries one.
const crypto = dirname(createRequire(join(root, "package.json")).resolve("@dms/crypto/package.json"));

const result = await build({
  absWorkingDir: root,
  entryPoints: {
    main: "dist/main.js",
    worker: join(crypto, "dist/workers/worker.js"),
  },
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["@dms/storage", "@dms/storage-s3", "@aws-sdk/*", "tar-stream", "tweetnacl"],
  logLevel: "warning",
  legalComments: "none",
  metafile: true,
});
// Which source module went into which chunk: the lazy-loading tests read it.
writeFileSync(join(root, "dist/bundle/meta.json"), JSON.stringify(result.metafile));
