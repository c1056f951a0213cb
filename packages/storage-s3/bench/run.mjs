// Benchmarks of @dms/storage-s3 against rclone 1.60 (crypt remote, and plain copy as the transfer
// limit), side by side on the same gateway in the same run. Not a test: `npm run bench`.
// Needs S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (scripts/ceph-rgw.sh start prints
// them), rclone and /usr/bin/time. BENCH_BYTES (default 1 GiB), BENCH_FILES (default 10000),
// BENCH_RUNS (default 3; the median is reported), BENCH_CASES (names to run, comma-separated
// prefixes such as "push 1,pull 1"; default all; a pull and the range case read what their push
// case wrote, so keep it in).
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
} from "@aws-sdk/client-s3";
import { generateIdentity } from "@dms/crypto";
import { createS3Client } from "../dist/index.js";

const env = process.env;
if (!env.S3_ENDPOINT) {
  console.error("S3_ENDPOINT unset: start a gateway with scripts/ceph-rgw.sh start DIR and export its line");
  process.exit(2);
}
const BYTES = Number(env.BENCH_BYTES ?? 2 ** 30);
const FILES = Number(env.BENCH_FILES ?? 10_000);
const RUNS = Number(env.BENCH_RUNS ?? 3);
const ONLY = (env.BENCH_CASES ?? "").split(",").filter((c) => c.trim() !== "");
const here = new URL(".", import.meta.url).pathname;
const DMS = new URL("../../cli/bin/dms.js", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "dms-s3-bench-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
const bucket = `bench-${randomBytes(4).toString("hex")}`;
const s3 = createS3Client();
await s3.send(new CreateBucketCommand({ Bucket: bucket }));
s3.destroy();

// Inputs: one incompressible file, and a folder of small files.
const big = join(tmp, "big.bin");
const fd = openSync(big, "w");
const block = randomBytes(1 << 20);
for (let n = 0; n < BYTES; n += block.length) writeSync(fd, block, 0, Math.min(block.length, BYTES - n));
closeSync(fd);
const dir = join(tmp, "many");
for (let i = 0; i < FILES; i++) {
  const sub = join(dir, String(i % 100));
  if (i < 100) mkdirSync(sub, { recursive: true });
  writeFileSync(join(sub, `f${i}`), randomBytes(1024 + (i % 4096)));
}
const idFile = join(tmp, "key.txt");
writeFileSync(idFile, await generateIdentity());

// rclone 1.60 cannot apply AWS_CA_BUNDLE to its transport (LoadCustomCABundleError); the gateway is on loopback.
const { AWS_CA_BUNDLE: _ca, ...rcloneBase } = env;
const rcloneEnv = {
  ...rcloneBase,
  RCLONE_CONFIG_S3_TYPE: "s3",
  RCLONE_CONFIG_S3_PROVIDER: "Ceph",
  RCLONE_CONFIG_S3_ENDPOINT: env.S3_ENDPOINT,
  RCLONE_CONFIG_S3_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID,
  RCLONE_CONFIG_S3_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY,
  RCLONE_CONFIG_CRYPT_TYPE: "crypt",
  RCLONE_CONFIG_CRYPT_REMOTE: `s3:${bucket}/rclone-crypt`,
  RCLONE_CONFIG_CRYPT_PASSWORD: execFileSync("rclone", ["obscure", "bench-password"], {
    encoding: "utf8",
  }).trim(),
};

/** Runs a command under /usr/bin/time; returns wall ms and peak RSS in MiB. */
function timed(cmd, args, e = env) {
  const t0 = performance.now();
  const r = spawnSync("/usr/bin/time", ["-f", "RSS %M", cmd, ...args], { env: e, encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  const rss = Number(/RSS (\d+)/.exec(r.stderr)?.[1] ?? Number.NaN) / 1024;
  return { ms, rss };
}
// --expose-gc: how the dms command's S3 transfers run (its memory.ts), so the crypto engine
// collects its cipher garbage every few MiB (@dms/crypto backend/pace.ts).
const dms = (...a) => timed(process.execPath, ["--expose-gc", join(here, "op.mjs"), ...a, idFile]);
// --ignore-times: without it the second and third runs of an upload find the object there and
// skip it (an earlier run reported a 1 GiB push in 53 ms).
const rclone = (...a) => timed("rclone", ["--config", "/dev/null", "--ignore-times", ...a], rcloneEnv);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cases = [
  [
    "push 1 file",
    () => dms("push", bucket, "dms/big.age", big),
    () => rclone("copyto", big, "crypt:big.bin"),
    () => rclone("copyto", big, `s3:${bucket}/plain/big.bin`),
  ],
  [
    "pull 1 file",
    () => dms("pull", bucket, "dms/big.age", join(tmp, "out.bin")),
    () => rclone("copyto", "crypt:big.bin", join(tmp, "out2.bin")),
    () => rclone("copyto", `s3:${bucket}/plain/big.bin`, join(tmp, "out3.bin")),
  ],
  [
    // The same pull by the dms program itself, as an installed `dms` runs (its sh header's malloc
    // tuning included).
    "pull 1 file, dms command",
    () => timed(DMS, ["decrypt", "-i", idFile, "-o", join(tmp, "out.bin"), `s3://${bucket}/dms/big.age`]),
    () => rclone("copyto", "crypt:big.bin", join(tmp, "out2.bin")),
    null,
  ],
  [
    "push folder",
    () => dms("push-dir", bucket, "dms/many.tar.age", dir),
    () => rclone("copy", "--transfers", "16", dir, "crypt:many"),
    () => rclone("copy", "--transfers", "16", dir, `s3:${bucket}/plain/many`),
  ],
  [
    "pull folder",
    () => dms("pull-dir", bucket, "dms/many.tar.age", join(tmp, "pulled")),
    () => rclone("copy", "--transfers", "16", "crypt:many", join(tmp, "pulled2")),
    () => rclone("copy", "--transfers", "16", `s3:${bucket}/plain/many`, join(tmp, "pulled3")),
  ],
  [
    "last 1 MiB of encrypted object",
    () => dms("range", bucket, "dms/big.age", "-"),
    () => dms("get", bucket, "dms/big.age", "-"),
    null,
  ],
];

console.log(
  `@dms/storage-s3 bench: ${BYTES} bytes, ${FILES} files, median of ${RUNS}, endpoint ${env.S3_ENDPOINT}`,
);
console.log(
  "| case | dms ms | dms RSS MiB | rclone crypt ms (range case: full GET) | rclone crypt RSS MiB | rclone plain ms | dms / crypt |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- |");
/**
 * Removes every output, then flushes the disk outside the timings: otherwise the writeback of a tool
 * that does not fsync (rclone) lands in the next tool's time. Page-cache writes still vary a lot
 * here: the VM reports free memory to its host, and a page refilled after that costs a host fault
 * (1 GiB into the page cache: 0.25 s right after a file's pages were freed, 1.5-2.3 s seconds
 * later). dms writes a big output around the page cache (@dms/fs direct.ts); rclone does not.
 */
function settle() {
  for (const p of ["out.bin", "out2.bin", "out3.bin", "pulled", "pulled2", "pulled3"])
    rmSync(join(tmp, p), { recursive: true, force: true });
  spawnSync("sync");
}

for (const [name, a, b, c] of cases) {
  if (ONLY.length > 0 && !ONLY.some((o) => name.startsWith(o.trim()))) continue;
  const runs = [[a, []], [b, []], ...(c ? [[c, []]] : [])];
  for (let i = 0; i < RUNS; i++) {
    // Each run starts with the next tool, so none always goes first (or always follows another).
    for (let j = 0; j < runs.length; j++) {
      const [run, results] = runs[(i + j) % runs.length];
      settle();
      results.push(run());
    }
  }
  settle();
  const [ra, rb, rc] = runs.map((r) => r[1]);
  const ma = median(ra.map((r) => r.ms)),
    mb = median(rb.map((r) => r.ms));
  const mc = rc ? median(rc.map((r) => r.ms)).toFixed(0) : "-";
  console.log(
    `| ${name} | ${ma.toFixed(0)} | ${Math.max(...ra.map((r) => r.rss)).toFixed(0)} | ${mb.toFixed(0)} | ${Math.max(...rb.map((r) => r.rss)).toFixed(0)} | ${mc} | ${(ma / mb).toFixed(2)} |`,
  );
}
rmSync(tmp, { recursive: true, force: true });

// The bench's objects go: a memstore gateway keeps them in RAM, and a second run on a full store
// blocks instead of failing.
const cleaner = createS3Client();
for (let token; ; ) {
  const page = await cleaner.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
  const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key }));
  if (keys.length > 0)
    await cleaner.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
  if (!page.IsTruncated) break;
  token = page.NextContinuationToken;
}
await cleaner.send(new DeleteBucketCommand({ Bucket: bucket }));
cleaner.destroy();
