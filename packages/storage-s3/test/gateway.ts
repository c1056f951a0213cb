// vitest globalSetup: use the gateway named by S3_ENDPOINT (as .ci/run starts it), or start one
// with scripts/ceph-rgw.sh when the Ceph packages are installed, and stop it after the run.
// Without either, S3_GATEWAY_MISSING says why, and the tests skip (or fail under DMS_REQUIRE_TOOLS=1).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const SCRIPT = resolve(import.meta.dirname, "../../../scripts/ceph-rgw.sh");
let started: string | undefined;

function have(program: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${program}`], { stdio: "ignore" }).status === 0;
}

export function setup(): void {
  if (process.env.S3_ENDPOINT) return;
  const missing = ["ceph-mon", "ceph-osd", "radosgw", "radosgw-admin"].filter((p) => !have(p));
  if (missing.length > 0) {
    process.env.S3_GATEWAY_MISSING = `no S3_ENDPOINT and ${missing.join(", ")} not installed (apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common)`;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "dms-s3-test-"));
  // Ports away from the defaults, so a developer's own gateway keeps running.
  const port = 17480 + (process.pid % 1000);
  const r = spawnSync(SCRIPT, ["start", dir], {
    encoding: "utf8",
    env: { ...process.env, RGW_PORT: String(port), CEPH_MON_PORT: String(port + 1000) },
    timeout: 180_000,
  });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  if (r.status !== 0 || !line.startsWith("S3_ENDPOINT=")) {
    spawnSync(SCRIPT, ["purge", dir], { stdio: "ignore" });
    process.env.S3_GATEWAY_MISSING = `scripts/ceph-rgw.sh start failed: ${r.stderr.trim().split("\n").pop()}`;
    return;
  }
  started = dir;
  for (const kv of line.split(" ")) {
    const i = kv.indexOf("=");
    process.env[kv.slice(0, i)] = kv.slice(i + 1);
  }
}

export function teardown(): void {
  if (started) {
    spawnSync(SCRIPT, ["purge", started], { stdio: "ignore", timeout: 60_000 });
    rmSync(started, { recursive: true, force: true });
  }
}
