import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { AgeError, generateIdentity, identityToRecipient } from "@dms/crypto";
import { openController, type VolumeController } from "@dms/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decryptObject,
  listIncompleteUploads,
  openEncryptedObject,
  pullEncrypted,
  pushEncrypted,
  S3Provider,
  STAGING_PREFIX,
} from "../src/index.js";
import { client, expectS3Code, haveGateway, newBucket } from "./helpers.js";

describe.skipIf(!haveGateway())("S3 provider on Ceph RGW", () => {
  let c: S3Client;
  let bucket: string;
  let tmp: string;
  let ctl: VolumeController;
  let s3: S3Provider;
  let key: string;

  beforeAll(async () => {
    c = client();
    bucket = await newBucket(c);
    tmp = await mkdtemp(join(tmpdir(), "dms-s3-"));
    ctl = await openController({ root: join(tmp, "root") });
    s3 = new S3Provider(ctl, c);
    key = await generateIdentity();
  });
  afterAll(async () => {
    await ctl?.close();
    c?.destroy();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  const spec = (k: string, extra: Record<string, string> = {}) => ({
    type: "s3",
    params: { Bucket: bucket, Key: k, ...extra },
  });
  // Staging folders, and volume folders on disk that no record names.
  const leftovers = async () => {
    const known = new Set((await ctl.listVolumes()).map((v) => v.Path));
    return (await readdir(ctl.root)).filter(
      (n) => n.startsWith(STAGING_PREFIX) || (n.startsWith("s3-") && !known.has(join(ctl.root, n))),
    );
  };

  async function tree(): Promise<string> {
    const d = await mkdtemp(join(tmp, "src-"));
    await mkdir(join(d, "sub/deep"), { recursive: true });
    await writeFile(join(d, "a.txt"), "alpha");
    await writeFile(join(d, "sub/b.bin"), Buffer.alloc(3 * 1024 * 1024 + 7, 9));
    await writeFile(join(d, "sub/deep/c.csv"), "x,y\n1,2\n");
    await writeFile(join(d, "empty"), "");
    return d;
  }

  it("uploads a volume and downloads it into a new locked volume, content kept", async () => {
    const src = await tree();
    const up = await s3.upload(src, spec("job1/in"));
    expect(up.objects).toBe(4);
    expect(await s3.size(spec("job1/in/"))).toBe(5 + 3 * 1024 * 1024 + 7 + 8);
    expect(await s3.size(spec("job1/in/a.txt"))).toBe(5);
    const vol = await s3.download(spec("job1/in/"));
    expect(vol.ReadOnly).toBe(true);
    expect(vol.CID).not.toBe("");
    const base = join(vol.Path, "job1/in");
    expect(await readFile(join(base, "a.txt"), "utf8")).toBe("alpha");
    // Buffer.equals: vitest's deep equality walks 3 MiB element by element (10 s).
    expect((await readFile(join(base, "sub/b.bin"))).equals(await readFile(join(src, "sub/b.bin")))).toBe(
      true,
    );
    expect(await readFile(join(base, "sub/deep/c.csv"), "utf8")).toBe("x,y\n1,2\n");
    expect((await ctl.verifyVolume(vol.Path)).ok).toBe(true);
    // one object, and a filter
    const one = await s3.download(spec("job1/in/sub/deep/c.csv"));
    expect(await readFile(join(one.Path, "job1/in/sub/deep/c.csv"), "utf8")).toBe("x,y\n1,2\n");
    const csv = await s3.download(spec("job1/in/", { filter: "**.csv" }));
    expect(await readdir(join(csv.Path, "job1/in"))).toEqual(["sub"]);
    expect(await leftovers()).toEqual([]);
  });

  it("uploads many multipart files at once through one shared set of part buffers", async () => {
    const d = await mkdtemp(join(tmp, "big-"));
    const MiB = 1024 * 1024;
    // Six files of three 5 MiB parts each, all in flight at once, with six buffers between them.
    for (let i = 0; i < 6; i++) await writeFile(join(d, `f${i}.bin`), Buffer.alloc(11 * MiB, i + 1));
    const up = await s3.upload(d, spec("many-big"), { concurrency: 6, partSize: 5 * MiB });
    expect(up).toEqual({ objects: 6, bytes: 66 * MiB });
    const vol = await s3.download(spec("many-big/"));
    for (let i = 0; i < 6; i++) {
      const got = await readFile(join(vol.Path, `many-big/f${i}.bin`));
      expect(got.equals(Buffer.alloc(11 * MiB, i + 1)), `f${i}.bin`).toBe(true);
    }
  });

  it("refuses to push a file whose name the download would refuse", async () => {
    const d = await mkdtemp(join(tmp, "odd-"));
    await writeFile(join(d, "fine.txt"), "ok");
    await writeFile(join(d, "two\nlines.txt"), "odd");
    await expectS3Code(s3.upload(d, spec("odd")), "ERR_S3_UNSAFE_KEY");
  });

  it("lists past 1000 keys", async () => {
    const n = 1005;
    for (let i = 0; i < n; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, n - i) }, (_, j) =>
          c.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: `many/${String(i + j).padStart(5, "0")}`,
              Body: `${i + j}`,
            }),
          ),
        ),
      );
    }
    const vol = await s3.download(spec("many/"));
    expect((await readdir(join(vol.Path, "many"))).length).toBe(n);
    expect(await readFile(join(vol.Path, "many/01004"), "utf8")).toBe("1004");
  }, 120_000);

  it.each(["../x", "h/../../x", "/abs", "a//b", "./y", `long/${"n".repeat(300)}`])(
    "refuses the hostile key %j and leaves nothing",
    async (k) => {
      const prefix = `hostile-${Math.random().toString(36).slice(2)}/`;
      await c.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}ok`, Body: "ok" }));
      await c.send(new PutObjectCommand({ Bucket: bucket, Key: prefix + k, Body: "evil" }));
      const before = await ctl.listVolumes();
      await expectS3Code(s3.download(spec(prefix)), "ERR_S3_UNSAFE_KEY");
      expect((await ctl.listVolumes()).length).toBe(before.length);
      expect(await leftovers()).toEqual([]);
    },
  );

  it("names a missing bucket, a missing key and bad credentials by code", async () => {
    await expectS3Code(
      s3.download({ type: "s3", params: { bucket: "no-such-bucket-dms" } }),
      "ERR_S3_NO_BUCKET",
    );
    await expectS3Code(
      s3.download({ type: "s3", params: { bucket: "no-such-bucket-dms", key: "k" } }),
      "ERR_S3_NO_BUCKET",
    );
    await expectS3Code(s3.download(spec("nope/missing.txt")), "ERR_S3_NO_KEY");
    await expectS3Code(s3.download(spec("nope/")), "ERR_S3_NO_KEY");
    await expectS3Code(s3.size(spec("nope/missing.txt")), "ERR_S3_NO_KEY");
    const bad = new S3Provider(
      ctl,
      client({ credentials: { accessKeyId: "WRONGKEY", secretAccessKey: "wrong" } }),
    );
    await expectS3Code(bad.download(spec("job1/in/")), "ERR_S3_CREDENTIALS");
    const badSecret = new S3Provider(
      ctl,
      client({ credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "", secretAccessKey: "wrong" } }),
    );
    await expectS3Code(badSecret.upload(await tree(), spec("x/")), "ERR_S3_CREDENTIALS");
    expect(await leftovers()).toEqual([]);
  });

  it("pushes a folder encrypted as one object and pulls it into a volume", async () => {
    const src = await tree();
    const r = await pushEncrypted(c, src, bucket, "enc/in.tar.age", {
      recipients: [await identityToRecipient(key)],
      partSize: 5 * 1024 * 1024,
    });
    expect(r.kind).toBe("directory");
    const vol = await pullEncrypted(c, bucket, "enc/in.tar.age", ctl, { identities: [key] });
    expect((await readFile(join(vol.Path, "sub/b.bin"))).equals(await readFile(join(src, "sub/b.bin")))).toBe(
      true,
    );
    expect(await readFile(join(vol.Path, "a.txt"), "utf8")).toBe("alpha");
    expect(vol.ReadOnly).toBe(true);
    // a wrong key: an AgeError, and no volume left
    const before = (await ctl.listVolumes()).length;
    const other = await generateIdentity();
    await expect(
      pullEncrypted(c, bucket, "enc/in.tar.age", ctl, { identities: [other] }),
    ).rejects.toBeInstanceOf(AgeError);
    expect((await ctl.listVolumes()).length).toBe(before);
    await expectS3Code(pullEncrypted(c, bucket, "enc/none.age", ctl, { identities: [key] }), "ERR_S3_NO_KEY");
    expect((await ctl.listVolumes()).length).toBe(before);
  });

  it("encrypts a file to an object, decrypts it back, and reads its end by ranged GETs", async () => {
    const big = Buffer.alloc(9 * 1024 * 1024 + 123);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
    const file = join(tmp, "big.bin");
    await writeFile(file, big);
    const r = await pushEncrypted(c, file, bucket, "f/big.age", {
      recipients: [await identityToRecipient(key)],
      partSize: 5 * 1024 * 1024,
    });
    expect(r.kind).toBe("file");
    const out = join(tmp, "big.out");
    expect(await decryptObject(c, bucket, "f/big.age", out, { identities: [key] })).toBe(big.length);
    expect((await readFile(out)).equals(big)).toBe(true);
    const f = await openEncryptedObject(c, bucket, "f/big.age", { identities: [key] });
    expect(f.size).toBe(big.length);
    const tail = await f.read(f.size - 1024 * 1024, 1024 * 1024);
    expect(Buffer.from(tail).equals(big.subarray(big.length - 1024 * 1024))).toBe(true);
    expect(f.stats.bytesRead).toBeLessThan(1.2 * 1024 * 1024);
    await f.close();
  });

  it("a push that fails midway leaves no object and no multipart upload", async () => {
    const file = join(tmp, "abort.bin");
    await writeFile(file, Buffer.alloc(24 * 1024 * 1024, 1));
    const ac = new AbortController();
    const p = pushEncrypted(c, file, bucket, "abort/x.age", {
      recipients: [await identityToRecipient(key)],
      partSize: 5 * 1024 * 1024,
      signal: ac.signal,
      onProgress: (e) => {
        if (e.bytes > 8 * 1024 * 1024) ac.abort();
      },
    });
    await expect(p).rejects.toThrow();
    await expectS3Code(
      c.send(new HeadObjectCommand({ Bucket: bucket, Key: "abort/x.age" })).catch((e) => {
        throw require_s3(e);
      }),
      "ERR_S3_NO_KEY",
    );
    expect(await listIncompleteUploads(c, bucket, "abort/")).toEqual([]);
  });
});

import { s3Error } from "../src/errors.js";

function require_s3(e: unknown) {
  return s3Error(e, "head", "b", "k");
}
