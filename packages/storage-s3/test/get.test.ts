// The GET that reads an object into one reused buffer (src/get.ts): its HTTP handling against a
// scripted server (no gateway needed), then resuming a cut body against the real gateway through
// a proxy that cuts connections.
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { type Server as HttpServer, createServer as httpServer } from "node:http";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { encrypt, generateIdentity, identityToRecipient } from "@dms/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ObjectReader, readObject } from "../src/get.js";
import { createS3Client, decryptObject } from "../src/index.js";
import { client, expectS3Code, haveGateway, newBucket } from "./helpers.js";

const creds = { accessKeyId: "k", secretAccessKey: "s" };

function blocksOf(r: ObjectReader | undefined): AsyncIterable<Uint8Array> {
  if (!r) throw new Error("expected a reader");
  return r.blocks;
}

async function all(blocks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of blocks) parts.push(Buffer.from(b)); // each view is reused: copy it
  return Buffer.concat(parts);
}

describe("reading an object over its own socket (scripted server)", () => {
  let server: HttpServer;
  let endpoint: string;
  let tmp: string;
  let identity: string;
  let sealed: Uint8Array;
  const plain = randomBytes(3 * 1024 * 1024 + 17);
  /** What the server does with the next requests, in order; the last one repeats. */
  let script: ((
    req: import("node:http").IncomingMessage,
    res: import("node:http").ServerResponse,
  ) => void)[] = [];
  let seen: { url: string; range: string | undefined }[] = [];

  beforeAll(async () => {
    identity = await generateIdentity();
    sealed = await encrypt(plain, { recipients: [await identityToRecipient(identity)] });
    tmp = await mkdtemp(join(tmpdir(), "dms-s3-get-"));
    server = httpServer((req, res) => {
      seen.push({ url: req.url ?? "", range: req.headers.range });
      const step = script.length > 1 ? script.shift() : script[0];
      step?.(req, res);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });
  /** Connections still open at the server, once the readers' closes had a moment to land. */
  const connectionsDrop = async () => {
    let open = -1;
    for (let i = 0; i < 50 && open !== 0; i++) {
      open = await new Promise<number>((r) => server.getConnections((_e, n) => r(n)));
      if (open !== 0) await new Promise((r) => setTimeout(r, 20));
    }
    return open;
  };
  const c = (maxAttempts = 3) => createS3Client({ endpoint, credentials: creds, maxAttempts });
  const whole = (_q: unknown, res: import("node:http").ServerResponse) => {
    res.writeHead(200, { "content-length": sealed.length, etag: '"e1"' });
    res.end(sealed);
  };
  /** The first MiB of the object, then the connection drops. */
  const cut = (_q: unknown, res: import("node:http").ServerResponse) => {
    res.writeHead(200, { "content-length": sealed.length, etag: '"e1"' });
    res.write(sealed.subarray(0, 1024 * 1024), () => res.socket?.destroy());
  };
  /** The head and a first part, then nothing: only the reader can close this connection. */
  const stalled = (_q: unknown, res: import("node:http").ServerResponse) => {
    res.writeHead(200, { "content-length": sealed.length });
    res.write(sealed.subarray(0, 64 * 1024));
  };
  const xmlError =
    (status: number, code: string) => (_q: unknown, res: import("node:http").ServerResponse) => {
      const body = `<?xml version="1.0"?><Error><Code>${code}</Code><Message>m</Message></Error>`;
      res.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
      res.end(body);
    };

  it("signs the request as the SDK would and reads the whole body", async () => {
    script = [whole];
    seen = [];
    const s3 = c();
    const r = await readObject(s3, "bkt", "dir/a b+c.age");
    expect(r?.size).toBe(sealed.length);
    expect(r?.etag).toBe('"e1"');
    expect((await all(blocksOf(r))).equals(Buffer.from(sealed))).toBe(true);
    // Path style, the key's space and plus escaped as the SDK escapes them.
    expect(seen[0]?.url).toMatch(/^\/bkt\/dir\/a%20b%2Bc\.age\?x-id=GetObject$/);
    s3.destroy();
  });

  it("maps the server's XML errors to the package's codes", async () => {
    const s3 = c();
    script = [xmlError(404, "NoSuchKey")];
    await expectS3Code(readObject(s3, "b", "k"), "ERR_S3_NO_KEY");
    script = [xmlError(404, "NoSuchBucket")];
    await expectS3Code(readObject(s3, "b", "k"), "ERR_S3_NO_BUCKET");
    script = [xmlError(403, "SignatureDoesNotMatch")];
    await expectS3Code(readObject(s3, "b", "k"), "ERR_S3_CREDENTIALS");
    script = [xmlError(403, "AccessDenied")];
    await expectS3Code(readObject(s3, "b", "k"), "ERR_S3_ACCESS_DENIED");
    s3.destroy();
  });

  it("retries a 503 and a dropped connection, then gives up with ERR_S3_NETWORK", async () => {
    const s3 = c(3);
    seen = [];
    script = [xmlError(503, "SlowDown"), (q) => q.socket.destroy(), whole];
    const r = await readObject(s3, "b", "k");
    expect((await all(blocksOf(r))).length).toBe(sealed.length);
    expect(seen.length).toBe(3);
    seen = [];
    script = [xmlError(503, "SlowDown")];
    await expectS3Code(readObject(s3, "b", "k"), "ERR_S3_NETWORK");
    expect(seen.length).toBe(3);
    s3.destroy();
  });

  it("resumes a body cut mid-way with a Range and If-Match, and decrypts it whole", async () => {
    const s3 = c(3);
    seen = [];
    const rest = (q: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => {
      const from = Number(/^bytes=(\d+)-$/.exec(q.headers.range ?? "")?.[1]);
      expect(q.headers["if-match"]).toBe('"e1"');
      res.writeHead(206, {
        "content-length": sealed.length - from,
        "content-range": `bytes ${from}-${sealed.length - 1}/${sealed.length}`,
        etag: '"e1"',
      });
      res.end(sealed.subarray(from));
    };
    script = [cut, rest];
    const out = join(tmp, "resumed.bin");
    expect(await decryptObject(s3, "b", "k", out, { identities: [identity] })).toBe(plain.length);
    expect((await readFile(out)).equals(plain)).toBe(true);
    expect(seen.length).toBe(2);
    expect(seen[1]?.range).toMatch(/^bytes=\d+-$/);
    s3.destroy();
  });

  it("fails with ERR_S3_CHANGED when the object was replaced before the resume, leaving no file", async () => {
    const s3 = c(3);
    script = [cut, xmlError(412, "PreconditionFailed")];
    const out = join(tmp, "changed.bin");
    await expectS3Code(decryptObject(s3, "b", "k", out, { identities: [identity] }), "ERR_S3_CHANGED");
    expect(existsSync(out)).toBe(false);
    s3.destroy();
  });

  it("falls back to the SDK's GET for a body without Content-Length (chunked)", async () => {
    const s3 = c();
    const chunked = (_q: unknown, res: import("node:http").ServerResponse) => {
      res.writeHead(200, { etag: '"e1"' }); // no length: Node sends it chunked
      res.end(sealed);
    };
    script = [chunked];
    expect(await readObject(s3, "b", "k")).toBeUndefined();
    const out = join(tmp, "chunked.bin");
    expect(await decryptObject(s3, "b", "k", out, { identities: [identity] })).toBe(plain.length);
    expect((await readFile(out)).equals(plain)).toBe(true);
    s3.destroy();
  });

  it("leaves https endpoints and clients it did not make to the SDK's transport", async () => {
    const tls = createS3Client({ endpoint: "https://127.0.0.1:9", credentials: creds, maxAttempts: 1 });
    expect(await readObject(tls, "b", "k")).toBeUndefined();
    tls.destroy();
    // A client of the caller's own may carry a request handler (a proxy agent) only the SDK honours.
    script = [whole];
    seen = [];
    const theirs = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: creds });
    expect(await readObject(theirs, "b", "k")).toBeUndefined();
    expect(seen).toEqual([]);
    theirs.destroy();
  });

  it("a wrong identity or a damaged object leaves no file and no connection open", async () => {
    const s3 = c();
    script = [stalled];
    const out = join(tmp, "wrong.bin");
    const other = await generateIdentity();
    const err = await decryptObject(s3, "b", "k", out, { identities: [other] }).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe("ERR_AGE_NO_MATCH");
    expect(existsSync(out)).toBe(false);
    expect(await connectionsDrop()).toBe(0);
    // A flipped byte in the last chunk: what authenticated before it was written, then removed.
    const bad = Buffer.from(sealed);
    bad[bad.length - 100] = (bad[bad.length - 100] as number) ^ 1;
    script = [
      (_q, res) => {
        res.writeHead(200, { "content-length": bad.length });
        res.end(bad);
      },
    ];
    const err2 = await decryptObject(s3, "b", "k", out, { identities: [identity] }).catch((e: unknown) => e);
    expect((err2 as { code?: string }).code).toBe("ERR_AGE_PAYLOAD");
    expect(existsSync(out)).toBe(false);
    expect(await connectionsDrop()).toBe(0);
    s3.destroy();
  });

  it("an output that cannot be opened closes the download it had started", async () => {
    const s3 = c();
    script = [stalled];
    const out = join(tmp, "no-such-folder", "out.bin");
    const err = await decryptObject(s3, "b", "k", out, { identities: [identity] }).catch((e: unknown) => e);
    expect((err as { kind?: string }).kind).toBe("not-found");
    expect(await connectionsDrop()).toBe(0);
    s3.destroy();
  });

  it("decrypts to a descriptor the caller owns", async () => {
    const s3 = c();
    script = [whole];
    const out = join(tmp, "fd.bin");
    const fd = openSync(out, "w");
    try {
      expect(await decryptObject(s3, "b", "k", fd, { identities: [identity] })).toBe(plain.length);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(out).equals(plain)).toBe(true);
    s3.destroy();
  });

  it("stops on the caller's AbortSignal with ERR_S3_ABORTED", async () => {
    const s3 = c();
    script = [
      (_q, res) => {
        res.writeHead(200, { "content-length": sealed.length });
        res.write(sealed.subarray(0, 4096)); // and then nothing
      },
    ];
    const ac = new AbortController();
    const r = await readObject(s3, "b", "k", ac.signal);
    setTimeout(() => ac.abort(), 50);
    await expectS3Code(all(blocksOf(r)), "ERR_S3_ABORTED");
    s3.destroy();
  });
});

/** A TCP proxy to `target` that cuts each of the first `cuts` connections after `after` response bytes. */
async function cuttingProxy(target: URL, cuts: number, after: number) {
  let n = 0;
  const socks: Socket[] = [];
  const server: Server = createServer((down) => {
    const cut = n++ < cuts;
    const up = connect(Number(target.port), target.hostname);
    socks.push(down, up);
    down.pipe(up);
    let sent = 0;
    up.on("data", (d: Buffer) => {
      if (!cut) return void down.write(d);
      const room = after - sent;
      sent += d.length;
      if (room > 0) down.write(d.subarray(0, room));
      if (sent >= after) {
        down.destroy();
        up.destroy();
      }
    });
    up.on("end", () => down.end());
    up.on("error", () => down.destroy());
    down.on("error", () => up.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    connections: () => n,
    close: async () => {
      for (const s of socks) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

describe.skipIf(!haveGateway())("resuming a cut download against the gateway", () => {
  let c: S3Client;
  let bucket: string;
  let tmp: string;
  beforeAll(async () => {
    c = client();
    bucket = await newBucket(c);
    tmp = await mkdtemp(join(tmpdir(), "dms-s3-resume-"));
  });
  afterAll(async () => {
    c?.destroy();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("a body cut twice still decrypts whole, from three connections", async () => {
    const identity = await generateIdentity();
    const plain = randomBytes(6 * 1024 * 1024);
    const sealed = await encrypt(plain, { recipients: [await identityToRecipient(identity)] });
    await c.send(new PutObjectCommand({ Bucket: bucket, Key: "cut.age", Body: sealed }));
    const proxy = await cuttingProxy(new URL(process.env.S3_ENDPOINT as string), 2, 2 * 1024 * 1024);
    const via = createS3Client({ endpoint: proxy.endpoint, maxAttempts: 3 });
    try {
      const out = join(tmp, "cut.bin");
      expect(await decryptObject(via, bucket, "cut.age", out, { identities: [identity] })).toBe(plain.length);
      expect((await readFile(out)).equals(plain)).toBe(true);
      expect(proxy.connections()).toBe(3);
    } finally {
      via.destroy();
      await proxy.close();
    }
  }, 60_000);
});
