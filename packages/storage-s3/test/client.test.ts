// A store that accepts connections and never answers (a full Ceph cluster blocks writes this way)
// must fail a transfer with a code, not hang it. No gateway needed: a silent TCP server.
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createS3Client, putStream } from "../src/index.js";
import { headObject } from "../src/objects.js";
import { expectS3Code } from "./helpers.js";

describe("a store that stops answering", () => {
  let server: Server;
  let endpoint: string;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    server = createServer((s) => {
      sockets.push(s);
      s.on("data", () => {}); // read and never reply
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const a = server.address() as { port: number };
    endpoint = `http://127.0.0.1:${a.port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  const silentClient = () =>
    createS3Client({
      endpoint,
      idleTimeout: 300,
      maxAttempts: 2,
      credentials: { accessKeyId: "k", secretAccessKey: "s" },
    });

  it("fails a read with ERR_S3_NETWORK after the idle timeout and the retries", async () => {
    const c = silentClient();
    const t0 = Date.now();
    await expectS3Code(headObject(c, "b", "k"), "ERR_S3_NETWORK");
    expect(Date.now() - t0).toBeLessThan(10_000);
    c.destroy();
  });

  it("fails an upload with ERR_S3_NETWORK instead of waiting forever", async () => {
    const c = silentClient();
    async function* body() {
      yield new Uint8Array(1000);
    }
    await expectS3Code(putStream(c, "b", "k", body()), "ERR_S3_NETWORK");
    c.destroy();
  });
});
