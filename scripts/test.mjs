#!/usr/bin/env node
// `npm test`: set up, build and test every package through turbo, check that each package installs
// alone from its tarball, lint the tree, then print one line `N passed, N failed` summed over the
// workspace. A lint failure counts as one failure, so CI (which runs this) cannot land unlinted code.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pnpm, root } from "./pnpm.mjs";
import { setup } from "./setup.mjs";

setup();

const pkgsDir = join(root, "packages");
const packages = readdirSync(pkgsDir).filter((d) => existsSync(join(pkgsDir, d, "package.json")));
// Stale results must not be counted: turbo restores this file from its cache on a hit.
for (const p of packages) {
  rmSync(join(pkgsDir, p, ".test-results.json"), { force: true });
  rmSync(join(pkgsDir, p, ".pack-check.json"), { force: true });
}

const turboStatus = pnpm([
  "exec",
  "turbo",
  "run",
  "test",
  "pack-check",
  "--continue",
  // Two tasks at a time on these 2-core machines: seven suites at once beside a Ceph gateway made
  // timing tests (SIGINT mid-encrypt, an S3 push) flaky without making the run much shorter.
  "--concurrency=2",
  ...process.argv.slice(2),
]);

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const p of packages) {
  const file = join(pkgsDir, p, ".test-results.json");
  if (!existsSync(file)) {
    console.error(`test: ${p} produced no results (it failed to build or start)`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(file, "utf8"));
  console.log(
    `  ${p}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`,
  );
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  failures.push(...failedTests(p, r));
  skipped += r.numPendingTests + r.numTodoTests;
}

let packed = 0;
for (const p of packages) {
  const file = join(pkgsDir, p, ".pack-check.json");
  const r = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : { passed: 0, failed: 1 };
  packed += r.passed;
  passed += r.passed;
  failed += r.failed;
}
console.log(`  pack-check: ${packed} of ${packages.length} packages install alone from their tarballs`);

// CI keeps only the end of the log, so each failure is named here too, with the first lines of why.
for (const f of failures) console.log(f);

const lintStatus = pnpm(["exec", "biome", "check", "."]);
console.log(`  lint: ${lintStatus === 0 ? "clean" : "FAILED (run `npm run lint` to see why)"}`);
if (lintStatus !== 0) failed += 1;

if (turboStatus !== 0 && failed === 0) failed += 1; // a task failed outside any test (build, typecheck)
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed === 0 && turboStatus === 0 && lintStatus === 0 ? 0 : 1);

/** One line per failed test of a vitest JSON report: where, which, and the start of its message. */
function failedTests(pkg, report) {
  const lines = [];
  for (const file of report.testResults ?? []) {
    const rel = file.name.slice(file.name.indexOf(`packages/${pkg}/`) + `packages/${pkg}/`.length);
    if (file.status === "failed" && !(file.assertionResults ?? []).some((a) => a.status === "failed")) {
      lines.push(`  FAILED ${pkg} ${rel}: ${firstLines(file.message ?? "the file failed to load")}`);
    }
    for (const a of file.assertionResults ?? []) {
      if (a.status !== "failed") continue;
      lines.push(
        `  FAILED ${pkg} ${rel} > ${a.fullName}: ${firstLines((a.failureMessages ?? []).join("\n"))}`,
      );
    }
  }
  return lines;
}

function firstLines(text) {
  const own = text.split("\n").filter((l) => !l.includes("node_modules") && !l.includes("(<anonymous>)"));
  return own.slice(0, 8).join("\n      ").slice(0, 1500);
}
