// Finds the system programs that some tests drive (the age CLI, python3, a browser). Where one is
// missing the test skips, visibly, with the reason; with DMS_REQUIRE_TOOLS=1 (set by .ci/run) a missing
// program is an error instead, so CI always runs those tests.
import { spawnSync } from "node:child_process";

const warned = new Set();

/**
 * Whether `program` runs (`program ...probe` exits 0). `needFor` says what the skipped tests prove.
 * Throws when the program is missing and DMS_REQUIRE_TOOLS=1.
 */
export function haveTool(program, needFor, probe = ["--version"]) {
  const r = spawnSync(program, probe, { stdio: "ignore" });
  if (r.status === 0) return true;
  const reason = `${program} is not installed: skipping the tests of ${needFor}`;
  if (process.env.DMS_REQUIRE_TOOLS === "1") {
    throw new Error(
      `${reason}; DMS_REQUIRE_TOOLS=1 requires it (install it, e.g. apt-get install ${program})`,
    );
  }
  if (!warned.has(reason)) {
    warned.add(reason);
    console.warn(`SKIP: ${reason}`);
  }
  return false;
}
