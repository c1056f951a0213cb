import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { CreateBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { createS3Client, S3Error, type S3ErrorCode } from "../src/index.js";

export const SCRIPT = resolve(import.meta.dirname, "../../../scripts/ceph-rgw.sh");

let warned = false;
/** True when a gateway is available; skips visibly, or throws under DMS_REQUIRE_TOOLS=1. */
export function haveGateway(): boolean {
  if (process.env.S3_ENDPOINT) return true;
  const reason = `no S3 gateway: skipping the tests against Ceph RGW (${process.env.S3_GATEWAY_MISSING ?? "S3_ENDPOINT unset"})`;
  if (process.env.DMS_REQUIRE_TOOLS === "1") throw new Error(`${reason}; DMS_REQUIRE_TOOLS=1 requires it`);
  if (!warned) {
    warned = true;
    console.warn(`SKIP: ${reason}`);
  }
  return false;
}

export function client(o: Parameters<typeof createS3Client>[0] = {}): S3Client {
  return createS3Client({ maxAttempts: 3, ...o });
}

export async function newBucket(c: S3Client): Promise<string> {
  const name = `t-${randomBytes(6).toString("hex")}`;
  await c.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

export async function expectS3Code(p: Promise<unknown>, code: S3ErrorCode): Promise<S3Error> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(S3Error);
  expect((caught as S3Error).code, String(caught)).toBe(code);
  return caught as S3Error;
}

/** Runs scripts/ceph-rgw.sh on the gateway the tests use (only when the tests started it or CEPH_RGW_DIR is set). */
export function gatewayCtl(cmd: "stop-rgw" | "kill-rgw" | "start"): void {
  const dir = process.env.CEPH_RGW_DIR;
  if (!dir) throw new Error("CEPH_RGW_DIR unset: fault tests need a gateway they can stop");
  const r = spawnSync(SCRIPT, [cmd, dir], { encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`ceph-rgw.sh ${cmd} failed: ${r.stderr}`);
}
