import { createS3Client, parseS3Url } from "@dms/storage-s3";

// No server here: parse a URL and build a client (the SDK and its configuration load and resolve).
const loc = parseS3Url("s3://jobs/inputs/run-1/");
const client = createS3Client({ endpoint: "http://127.0.0.1:9", region: "us-east-1" });
if (loc.bucket !== "jobs" || loc.key !== "inputs/run-1/" || typeof client.send !== "function")
  process.exit(1);
console.log(`ok: ${loc.bucket} ${loc.key}`);
