// `dms` with s3:// arguments, against a real Ceph RADOS Gateway: the one named by S3_ENDPOINT (as
// .ci/run starts it), else one started here with scripts/ceph-rgw.sh when Ceph is installed. Without
// either the tests skip visibly, and fail under DMS_REQUIRE_TOOLS=1.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setup, teardown } from "../../../storage-s3/test/gateway.js";
import { bin, dms, errorCode, keygen, tempDir } from "./helpers.js";

// A gateway of our own only when none is named; the storage-s3 tests' setup does the starting.
const ownGateway = !process.env.S3_ENDPOINT;
if (ownGateway) setup();
const reason = `no S3 gateway: skipping the CLI's s3:// tests (${process.env.S3_GATEWAY_MISSING ?? "S3_ENDPOINT unset"})`;
const haveGateway = Boolean(process.env.S3_ENDPOINT);
if (!haveGateway) {
  if (process.env.DMS_REQUIRE_TOOLS === "1") throw new Error(`${reason}; DMS_REQUIRE_TOOLS=1 requires it`);
  console.warn(`SKIP: ${reason}`);
}
afterAll(() => {
  if (ownGateway) teardown();
});

/** The files under `dir`, relative, sorted (volumes' own metadata left out). */
function files(dir: string, rel = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const r = rel === "" ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...files(dir, r));
    else out.push(r);
  }
  return out.sort();
}

describe.skipIf(!haveGateway)("dms with s3:// URLs (real Ceph RGW)", () => {
  const t = tempDir("dms-cli-s3-");
  const dir = t.dir;
  let client: S3Client;
  let bucket: string;
  let key: { path: string; recipient: string };
  const plain = randomBytes(300_000);
  const input = join(dir, "in.bin");

  beforeAll(async () => {
    // The SDK's Node 20 notice, off for this test process's own client as the CLI turns it off.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    client = new S3Client({
      endpoint: process.env.S3_ENDPOINT,
      region: "us-east-1",
      forcePathStyle: true,
      requestChecksumCalculation: "WHEN_REQUIRED",
    });
    bucket = `cli-${randomBytes(5).toString("hex")}`;
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    key = keygen(dir, "key.txt");
    writeFileSync(input, plain);
  });
  afterAll(() => {
    client?.destroy();
    t.cleanup();
  });

  it("encrypt -o s3:// then decrypt from s3:// gives the bytes back; --range and inspect read the object", () => {
    const url = `s3://${bucket}/files/in.age`;
    const e = dms(["encrypt", "-r", key.recipient, "-o", url, input]);
    expect(e.status, e.stderr).toBe(0);
    // No SDK deprecation warning on stderr (the one warning the CLI switches off).
    expect(e.stderr).toBe("");

    const out = join(dir, "out.bin");
    const d = dms(["decrypt", "-i", key.path, "-o", out, url]);
    expect(d.status, d.stderr).toBe(0);
    expect(readFileSync(out).equals(plain)).toBe(true);

    const toStdout = dms(["decrypt", "-i", key.path, url]);
    expect(toStdout.status, toStdout.stderr).toBe(0);
    expect(toStdout.stdout.equals(plain)).toBe(true);

    const r = dms(["decrypt", "-i", key.path, "--range", "123457:70000", url]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.equals(plain.subarray(123457, 123457 + 70000))).toBe(true);

    const i = dms(["inspect", "--json", url]);
    expect(i.status, i.stderr).toBe(0);
    const local = dms(["encrypt", "-r", key.recipient, "-o", join(dir, "local.age"), input]);
    expect(local.status, local.stderr).toBe(0);
    const j = JSON.parse(i.out) as { plaintextBytes: number; fileBytes: number; stanzas: { type: string }[] };
    expect(j.plaintextBytes).toBe(plain.length);
    expect(j.fileBytes).toBe(readFileSync(join(dir, "local.age")).length);
    expect(j.stanzas.map((s) => s.type)).toEqual(["X25519"]);
  });

  it("encrypts standard input and a folder to s3://, and decrypt -x extracts the folder from it", async () => {
    const s = dms(["encrypt", "-r", key.recipient, "-o", `s3://${bucket}/stdin.age`], {
      input: "from stdin\n",
    });
    expect(s.status, s.stderr).toBe(0);
    const back = dms(["decrypt", "-i", key.path, `s3://${bucket}/stdin.age`]);
    expect(back.out).toBe("from stdin\n");

    const tree = join(dir, "tree-x");
    await mkdir(join(tree, "sub"), { recursive: true });
    await writeFile(join(tree, "a.txt"), "a");
    await writeFile(join(tree, "sub", "b.txt"), "b");
    const e = dms(["encrypt", "-r", key.recipient, "-o", `s3://${bucket}/tree.age`, tree]);
    expect(e.status, e.stderr).toBe(0);
    const x = join(dir, "extracted");
    const d = dms(["decrypt", "-i", key.path, "-x", x, `s3://${bucket}/tree.age`]);
    expect(d.status, d.stderr).toBe(0);
    expect(files(x)).toEqual(["a.txt", "sub/b.txt"]);
  });

  it("volume push/pull: plain and encrypted round trips print the new volume's path; --json", async () => {
    const tree = join(dir, "job");
    await mkdir(join(tree, "in", "deep"), { recursive: true });
    await writeFile(join(tree, "in", "deep", "data.bin"), plain);
    await writeFile(join(tree, "readme.txt"), "job 42\n");
    const root = join(dir, "root");

    const push = dms(["volume", "push", tree, `s3://${bucket}/plain/job/`, "--json"]);
    expect(push.status, push.stderr).toBe(0);
    expect(JSON.parse(push.out)).toMatchObject({ encrypted: false, objects: 2, bytes: plain.length + 7 });
    const pull = dms(["volume", "pull", `s3://${bucket}/plain/job/`, "--root", root]);
    expect(pull.status, pull.stderr).toBe(0);
    const vol = pull.out.trim();
    expect(vol.startsWith(root)).toBe(true);
    expect(files(vol)).toEqual(["plain/job/in/deep/data.bin", "plain/job/readme.txt"]);
    expect(readFileSync(join(vol, "plain/job/in/deep/data.bin")).equals(plain)).toBe(true);
    const verify = dms(["volume", "verify", vol, "--root", root]);
    expect(verify.status, verify.stderr).toBe(0);

    const epush = dms([
      "volume",
      "push",
      tree,
      `s3://${bucket}/enc/job.tar.age`,
      "-r",
      key.recipient,
      "--json",
    ]);
    expect(epush.status, epush.stderr).toBe(0);
    expect(JSON.parse(epush.out)).toMatchObject({ encrypted: true, kind: "directory", objects: 1 });
    // The object is one age file holding a tar of the folder.
    const raw = dms(["decrypt", "-i", key.path, `s3://${bucket}/enc/job.tar.age`]);
    expect(raw.stdout.includes(Buffer.from("job 42"))).toBe(true); // a tar, decrypted
    const epull = dms([
      "volume",
      "pull",
      `s3://${bucket}/enc/job.tar.age`,
      "-i",
      key.path,
      "--root",
      root,
      "--json",
    ]);
    expect(epull.status, epull.stderr).toBe(0);
    const v = JSON.parse(epull.out) as { Path: string; ReadOnly: boolean; CID: string };
    expect(v.ReadOnly).toBe(true);
    expect(v.CID).toMatch(/^sha256:/);
    expect(files(v.Path)).toEqual(["in/deep/data.bin", "readme.txt"]);
    expect(readFileSync(join(v.Path, "in/deep/data.bin")).equals(plain)).toBe(true);

    // A wrong key: the age error, and no new volume.
    const other = keygen(dir, "other.txt");
    const before = (await readdir(root)).sort();
    const bad = dms(["volume", "pull", `s3://${bucket}/enc/job.tar.age`, "-i", other.path, "--root", root]);
    expect(bad.status).toBe(1);
    expect(errorCode(bad.stderr)).toBe("ERR_AGE_NO_MATCH");
    expect((await readdir(root)).sort()).toEqual(before);
  });

  it("a missing bucket, a missing key and bad credentials exit 1 with their codes", () => {
    const nb = dms(["decrypt", "-i", key.path, "s3://no-such-bucket-dms-cli/x.age"]);
    expect(nb.status).toBe(1);
    expect(errorCode(nb.stderr)).toBe("ERR_DMS_NOT_FOUND");
    expect(nb.stderr).toContain("[ERR_S3_NO_BUCKET]");

    const nk = dms(["inspect", `s3://${bucket}/nothing-here.age`]);
    expect(nk.status).toBe(1);
    expect(nk.stderr).toContain("[ERR_S3_NO_KEY]");

    const root = join(dir, "root-creds");
    const env = { AWS_SECRET_ACCESS_KEY: "not-the-secret" };
    const bc = dms(["volume", "pull", `s3://${bucket}/plain/job/`, "--root", root], { env });
    expect(bc.status).toBe(1);
    expect(errorCode(bc.stderr)).toBe("ERR_DMS_PERMISSION");
    expect(bc.stderr).toContain("[ERR_S3_CREDENTIALS]");
    const be = dms(["encrypt", "-r", key.recipient, "-o", `s3://${bucket}/denied.age`, input], { env });
    expect(be.status).toBe(1);
    expect(be.stderr).toContain("[ERR_S3_CREDENTIALS]");
  });

  it("refuses a hostile key such as ../x on pull, and leaves no volume", async () => {
    const prefix = "hostile/";
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}ok`, Body: "ok" }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}../x`, Body: "evil" }));
    const root = join(dir, "root-hostile");
    const r = dms(["volume", "pull", `s3://${bucket}/${prefix}`, "--root", root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("[ERR_S3_UNSAFE_KEY]");
    const ls = dms(["volume", "ls", "--json", "--root", root]);
    expect(JSON.parse(ls.out)).toEqual([]);
    expect((await readdir(root)).filter((n) => !n.startsWith("dms-storage"))).toEqual([]);
  });

  it("a pull killed with SIGKILL leaves no volume; the next pull removes its staging folder", async () => {
    const big = join(dir, "big");
    await mkdir(big);
    // Large enough that the download is still running when the kill comes.
    writeFileSync(
      join(big, "big.bin"),
      randomBytes(1024 * 1024)
        .toString("hex")
        .repeat(48),
    );
    const push = dms(["volume", "push", big, `s3://${bucket}/big/`]);
    expect(push.status, push.stderr).toBe(0);
    const root = join(dir, "root-kill");
    await mkdir(root);
    const child = spawn(process.execPath, [bin, "volume", "pull", `s3://${bucket}/big/`, "--root", root], {
      stdio: "ignore",
      env: process.env,
    });
    const exited = new Promise((res) => child.on("exit", res));
    // Killed once bytes are arriving in the staging folder.
    let staging: string | undefined;
    for (let i = 0; i < 1000 && staging === undefined; i++) {
      await new Promise((r) => setTimeout(r, 10));
      for (const n of await readdir(root)) {
        const f = join(root, n, "content", "big", "big.bin");
        if (n.startsWith(".s3-pull-") && existsSync(f) && statSync(f).size > 0) staging = n;
      }
    }
    child.kill("SIGKILL");
    await exited;
    expect(staging, "the pull never started writing").toBeDefined();
    const ls = dms(["volume", "ls", "--json", "--root", root]);
    expect(JSON.parse(ls.out)).toEqual([]);
    expect(statSync(join(root, staging as string)).mode & 0o777).toBe(0o700);

    // A staging folder of a live or recent process is left alone; one of a dead process older than
    // 30 s is swept by the next pull (its age is set back instead of waiting).
    const small = dms(["volume", "pull", `s3://${bucket}/plain/job/readme.txt`, "--root", root]);
    expect(small.status, small.stderr).toBe(0);
    expect(existsSync(join(root, staging as string))).toBe(true);
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(root, staging as string), old, old);
    const again = dms(["volume", "pull", `s3://${bucket}/plain/job/readme.txt`, "--root", root]);
    expect(again.status, again.stderr).toBe(0);
    expect((await readdir(root)).filter((n) => n.startsWith(".s3-pull-"))).toEqual([]);
    expect(JSON.parse(dms(["volume", "ls", "--json", "--root", root]).out)).toHaveLength(2);
  });

  it("volume uploads lists and aborts an upload a killed process left", async () => {
    const { CreateMultipartUploadCommand } = await import("@aws-sdk/client-s3");
    await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "left/over.age" }));
    const ls = dms(["volume", "uploads", `s3://${bucket}/left/`, "--json"]);
    expect(ls.status, ls.stderr).toBe(0);
    expect(JSON.parse(ls.out)).toMatchObject([{ key: "left/over.age", aborted: false }]);
    const ab = dms(["volume", "uploads", `s3://${bucket}/left/`, "--abort", "--json"]);
    expect(ab.status, ab.stderr).toBe(0);
    expect(JSON.parse(ab.out)).toMatchObject([{ key: "left/over.age", aborted: true }]);
    const again = dms(["volume", "uploads", `s3://${bucket}/left/`, "--json"]);
    expect(JSON.parse(again.out)).toEqual([]);
  });
});
