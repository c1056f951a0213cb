#!/usr/bin/env node
import { main } from "../dist/main.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`dms: error: ${err?.message ?? err} (ERR_DMS_INTERNAL)\n`);
    process.exitCode = 1;
  },
);
