// One timed operation of @dms/storage-s3 in its own process (so its peak RSS is its own).
// node bench/op.mjs push|pull|push-dir|pull-dir|range|get|get-raw BUCKET KEY PATH IDENTITY_FILE
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { identityToRecipient } from "@dms/crypto";
import { readObject } from "../dist/get.js";
import {
  createS3Client,
  decryptObject,
  openEncryptedObject,
  pullEncryptedTo,
  pushEncrypted,
} from "../dist/index.js";

const [op, bucket, key, path, idFile] = process.argv.slice(2);
const identity = readFileSync(idFile, "utf8").trim();
const s3 = createS3Client();
const t0 = performance.now();
if (op === "push" || op === "push-dir") {
  await pushEncrypted(s3, path, bucket, key, { recipients: [await identityToRecipient(identity)] });
} else if (op === "pull") {
  await decryptObject(s3, bucket, key, path, { identities: [identity] });
} else if (op === "pull-dir") {
  await rm(path, { recursive: true, force: true });
  await pullEncryptedTo(s3, bucket, key, path, { identities: [identity], maxEntries: 1_000_000 });
} else if (op === "range") {
  const f = await openEncryptedObject(s3, bucket, key, { identities: [identity] });
  await f.read(f.size - 1024 * 1024, 1024 * 1024);
  await f.close();
} else if (op === "get") {
  const r = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  for await (const _ of r.Body) {
  }
} else if (op === "get-raw") {
  const r = await readObject(s3, bucket, key);
  for await (const _ of r.blocks) {
  }
} else throw new Error(`unknown op ${op}`);
const ms = performance.now() - t0;
s3.destroy();
console.log(JSON.stringify({ ms, maxRssKiB: process.resourceUsage().maxRSS }));
