// One benchmark case per process, so that /usr/bin/time sees its own peak RSS. Imports the BUILT
// package. Keys come from BENCH_RECIPIENT / BENCH_IDENTITY.
import { createReadStream, createWriteStream } from "node:fs";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  decryptFile,
  decryptNodeStream,
  encryptDirectory,
  encryptFile,
  encryptNodeStream,
  extractDirectory,
  openEncrypted,
} from "../dist/index.js";

const [op, a, b, c] = process.argv.slice(2);
const enc = (backend) => ({ recipients: [process.env.BENCH_RECIPIENT], backend });
const dec = (backend) => ({ identities: [process.env.BENCH_IDENTITY], backend });
const read = (p) => createReadStream(p, { highWaterMark: 1024 * 1024 });

switch (op) {
  // Node streams: file -> transform -> file (or /dev/null)
  case "enc-stream":
    await pipeline(read(b), encryptNodeStream(enc(a)), createWriteStream(c));
    break;
  case "dec-stream":
    await pipeline(read(b), decryptNodeStream(dec(a)), createWriteStream(c));
    break;
  // File to file (atomic, fsynced)
  case "enc-file":
    await encryptFile(b, c, enc(a));
    break;
  case "dec-file":
    await decryptFile(b, c, dec(a));
    break;
  // typage (age-encryption), streaming API (Web Streams)
  case "typage-enc": {
    const { Encrypter } = await import("age-encryption");
    const e = new Encrypter();
    e.addRecipient(process.env.BENCH_RECIPIENT);
    const out = await e.encrypt(Readable.toWeb(read(a)));
    await out.pipeTo(Writable.toWeb(createWriteStream(b)));
    break;
  }
  case "typage-dec": {
    const { Decrypter } = await import("age-encryption");
    const d = new Decrypter();
    d.addIdentity(process.env.BENCH_IDENTITY);
    const out = await d.decrypt(Readable.toWeb(read(a)));
    await out.pipeTo(Writable.toWeb(createWriteStream(b)));
    break;
  }
  case "enc-dir":
    await encryptDirectory(a, b, enc("native"));
    break;
  case "extract":
    await extractDirectory(a, b, dec("native"));
    break;
  // Timed inside the process: start-up would dominate a 1 MiB read.
  case "range": {
    const t0 = performance.now();
    const f = await openEncrypted(a, dec("native"));
    const len = Number(b);
    const got = await f.read(f.size - len, len);
    await f.close();
    const ms = performance.now() - t0;
    if (got.length !== len) throw new Error(`range read returned ${got.length} bytes`);
    console.log(JSON.stringify({ ms }));
    break;
  }
  case "dec-null-timed": {
    const t0 = performance.now();
    await pipeline(read(a), decryptNodeStream(dec("native")), createWriteStream("/dev/null"));
    console.log(JSON.stringify({ ms: performance.now() - t0 }));
    break;
  }
  default:
    throw new Error(`unknown case ${op}`);
}
