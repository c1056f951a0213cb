#!/bin/sh
//usr/bin/true; export MALLOC_TOP_PAD_=67108864 MALLOC_TRIM_THRESHOLD_=268435456; case "$*" in *s3://*) ;; *) unset NODE_EXTRA_CA_CERTS;; esac; exec node "$0" "$@"
// The line above is for sh, which runs this file first (the shebang): it sets glibc's malloc
// tuning (ignored elsewhere) and starts node on this same file, for which the line is a comment.
// It also drops NODE_EXTRA_CA_CERTS unless an argument names an s3:// object, the only way dms
// makes a TLS connection: Node reads and parses that bundle at every start, before any code runs,
// which took ~40 ms of a 1 KiB `dms encrypt` (~160 ms) where the machine's environment sets it.
// node:crypto returns every 64 KiB chunk in a fresh buffer, and with the defaults glibc hands the
// freed ones back to the kernel after each garbage collection, so the next ones fault their pages
// in again. Keeping up to 256 MiB of freed memory took 1 GiB encrypt and decrypt to 0.90-0.92 of
// their time (system time ~0.17 s against ~0.24 s), peak memory within 3 MiB. Not
// `#!/usr/bin/env -S VAR=... node`: the shims package managers write into node_modules/.bin
// (pnpm's) read that line as a program called `VAR=...`, and `dms` failed with "not found".
// `node bin/dms.js` runs without the tuning.
// dist/bundle/ is dist/ bundled with @dms/crypto, @dms/fs and @dms/types (scripts/bundle.mjs): ~20 ms
// less start-up than loading their ~50 modules one by one.
import { main } from "../dist/bundle/main.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`dms: error: ${err?.message ?? err} (ERR_DMS_INTERNAL)\n`);
    process.exitCode = 1;
  },
);
