// A GET of one object whose body lands in one reused buffer: the request is built and signed by
// the SDK client (endpoint, credential chain, path style, SigV4), and sent over a socket read with
// `onread`. Why: the SDK's transport hands every socket read a fresh buffer, so a 1 GiB GET
// through it, body dropped, peaked at 112-141 MiB RSS and took 1.2-1.7 s; this way 72-80 MiB and
// 0.94-1.1 s on the same gateway (`node bench/op.mjs get` / `get-raw`). A body cut mid-way is
// resumed where it stopped (Range + If-Match), which the SDK does not do. Plain HTTP only (a
// gateway on the node's network, as tested here); https endpoints keep the SDK's transport.
import net from "node:net";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { ownIdleTimeout } from "./client.js";
import { S3Error, s3Error } from "./errors.js";

const READ_SIZE = 1024 * 1024;
const MAX_HEAD = 64 * 1024;
const MAX_ERROR_BODY = 64 * 1024;
const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRY_CODES = new Set(["SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable"]);

/** What the SDK would have sent (the fields of its HttpRequest this transport uses). */
interface SignedRequest {
  protocol: string;
  hostname: string;
  port?: number | undefined;
  path: string;
  query?: Record<string, string | string[] | null> | undefined;
  headers: Record<string, string>;
}

interface Head {
  status: number;
  headers: Map<string, string>;
}

/** An object being read: its size and ETag, and its bytes as views into one reused buffer. */
export interface ObjectReader {
  size: number;
  etag: string | undefined;
  /** The body in order; each view is valid until the next step of the iteration. */
  blocks: AsyncGenerator<Uint8Array>;
  /** Closes the connection: for a reader given up before its blocks were read (they close it at their end). */
  close(): void;
}

/**
 * Opens `bucket/key` for reading (retrying transient failures as the client's `maxAttempts`
 * says). Returns undefined where this transport does not apply: a client not made by
 * createS3Client (its own request handler, a proxy agent say, is honoured only by the SDK), an
 * https endpoint (AWS: this is tested on plain HTTP only, so TLS stays with the SDK's transport),
 * or an answer it does not read (a body without Content-Length). The caller then uses the SDK's GET.
 *
 * @throws S3Error as getObject does (ERR_S3_NO_KEY, ERR_S3_NO_BUCKET, ERR_S3_CREDENTIALS, ...);
 * the iteration throws ERR_S3_NETWORK when the body cannot be resumed, ERR_S3_CHANGED when the
 * object was replaced meanwhile, ERR_S3_ABORTED on `signal`.
 */
export async function readObject(
  client: S3Client,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<ObjectReader | undefined> {
  const idle = ownIdleTimeout(client);
  if (idle === undefined) return undefined;
  const what = `download s3://${bucket}/${key}`;
  const maxAttempts = Math.max(1, await (client.config.maxAttempts as () => Promise<number>)());
  const buf = Buffer.allocUnsafe(READ_SIZE);
  let attempt = 0;
  /** One exchange that answered with a body, retrying what is transient. */
  const open = async (
    from: number,
    etag: string | undefined,
  ): Promise<{ ex: Exchange; head: Head; length: number } | undefined> => {
    for (;;) {
      attempt++;
      try {
        const range = from > 0 ? `bytes=${from}-` : undefined;
        const req = await signGet(client, bucket, key, range, etag, signal);
        if (req.protocol !== "http:") return undefined;
        const ex = new Exchange(req, buf, idle, signal);
        const head = await ex.head;
        if (head.status === 200 || head.status === 206) {
          const length = Number(head.headers.get("content-length"));
          if (!Number.isSafeInteger(length) || head.headers.has("transfer-encoding")) {
            ex.close();
            return undefined;
          }
          if (from > 0 && !head.headers.get("content-range")?.startsWith(`bytes ${from}-`)) {
            ex.close();
            throw new S3Error("ERR_S3_CHANGED", `${what} failed: the server did not resume at byte ${from}`, {
              bucket,
              key,
            });
          }
          return { ex, head, length };
        }
        throw await ex.failure(head, what, bucket, key);
      } catch (e) {
        const err = s3Error(e, what, bucket, key);
        if (!retryable(err) || attempt >= maxAttempts) throw err;
        await backoff(attempt, signal, what, bucket, key);
      }
    }
  };
  const first = await open(0, undefined);
  if (!first) return undefined;
  const etag = first.head.headers.get("etag");
  const size = first.length;
  /** The exchange being read (a resumed body is read from a new one). */
  let ex = first.ex;
  let got = 0;
  const cut = (why: string, cause?: unknown) =>
    new S3Error("ERR_S3_NETWORK", `${what} failed after ${got} of ${size} bytes: ${why}`, {
      cause,
      bucket,
      key,
    });
  async function* blocks(): AsyncGenerator<Uint8Array> {
    try {
      while (got < size) {
        let view: Uint8Array | null;
        try {
          view = await ex.next();
          if (view === null)
            throw Object.assign(new Error("connection closed mid-body"), { code: "ECONNRESET" });
        } catch (e) {
          ex.close();
          const err = s3Error(e, what, bucket, key);
          if (!retryable(err)) throw err;
          if (attempt >= maxAttempts) throw cut(err.message, err);
          await backoff(attempt, signal, what, bucket, key);
          const again = await open(got, etag);
          if (!again) throw cut("the resumed answer had no length");
          ex = again.ex;
          continue;
        }
        attempt = 1; // progress: a later cut gets the whole budget again
        const take = Math.min(view.length, size - got);
        got += take;
        yield take === view.length ? view : view.subarray(0, take);
      }
    } finally {
      ex.close();
    }
  }
  return { size, etag, blocks: blocks(), close: () => ex.close() };
}

function retryable(e: S3Error): boolean {
  if (e.code === "ERR_S3_NETWORK") return true;
  return (e.status !== undefined && RETRY_STATUS.has(e.status)) || RETRY_CODES.has(e.s3Code ?? "");
}

async function backoff(
  attempt: number,
  signal: AbortSignal | undefined,
  what: string,
  bucket: string,
  key: string,
): Promise<void> {
  // Full jitter on an exponential base, capped as the SDK's standard mode caps it.
  const ms = Math.random() * Math.min(20_000, 100 * 2 ** attempt);
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(t);
      reject(new S3Error("ERR_S3_ABORTED", `${what} was aborted`, { bucket, key, cause: signal?.reason }));
    }
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The request the client would send for this GET, signed now, without sending it. */
async function signGet(
  client: S3Client,
  bucket: string,
  key: string,
  range: string | undefined,
  ifMatch: string | undefined,
  signal: AbortSignal | undefined,
): Promise<SignedRequest> {
  const cmd = new GetObjectCommand({
    Bucket: bucket,
    Key: key,
    ...(range ? { Range: range } : {}),
    ...(ifMatch ? { IfMatch: ifMatch } : {}),
  });
  let req: SignedRequest | undefined;
  // The deserialize step runs after signing; answering there ends the call without a request.
  const capture = () => async (args: { request?: unknown }) => {
    req = args.request as SignedRequest;
    return { output: { $metadata: {} }, response: {} };
  };
  cmd.middlewareStack.add(capture as never, { step: "deserialize", priority: "high", name: "dmsSignedGet" });
  await client.send(cmd, signal ? { abortSignal: signal } : {});
  if (!req) throw new Error("internal: the S3 client built no request");
  return req;
}

/** RFC 3986 encoding, as SigV4 canonicalises the query. */
const uriEscape = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function requestText(r: SignedRequest): string {
  const q: string[] = [];
  for (const [k, v] of Object.entries(r.query ?? {})) {
    for (const one of Array.isArray(v) ? v : [v]) {
      q.push(one === null ? uriEscape(k) : `${uriEscape(k)}=${uriEscape(one)}`);
    }
  }
  let text = `GET ${r.path}${q.length ? `?${q.sort().join("&")}` : ""} HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(r.headers)) {
    if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) throw new Error(`internal: header ${k} holds a line break`);
    text += `${k}: ${v}\r\n`;
  }
  return `${text}connection: close\r\n\r\n`;
}

type Item = Uint8Array | null | Error;

/**
 * One request and its response on a fresh connection. Reads land in `buf`; after each body view
 * the socket is paused until the next `next()`, which is what keeps memory flat.
 */
class Exchange {
  readonly head: Promise<Head>;
  private readonly sock: net.Socket;
  private headText = "";
  private headDone = false;
  /** At most one body view, then at most one end (null) or error. */
  private readonly queue: Item[] = [];
  private ended = false;
  private waiter: ((i: Item) => void) | undefined;
  private paused = false;
  private onAbort: (() => void) | undefined;

  constructor(
    req: SignedRequest,
    buf: Buffer,
    idleMs: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    let headOk!: (h: Head) => void;
    let headFail!: (e: Error) => void;
    this.head = new Promise<Head>((res, rej) => {
      headOk = res;
      headFail = rej;
    });
    this.head.catch(() => {});
    const port = req.port ?? 80;
    const onread = { buffer: buf, callback: (n: number, b: Buffer) => this.onData(n, b, headOk, headFail) };
    this.sock = net.connect({ host: req.hostname, port, onread });
    const text = requestText(req);
    this.sock.once("connect", () => this.sock.write(text));
    if (idleMs > 0) {
      this.sock.setTimeout(idleMs, () =>
        this.sock.destroy(Object.assign(new Error(`no data for ${idleMs} ms`), { code: "ETIMEDOUT" })),
      );
    }
    const fail = (e: Error) => {
      headFail(e);
      this.deliver(e);
    };
    this.sock.on("error", fail);
    this.sock.on("end", () => {
      if (!this.headDone)
        headFail(Object.assign(new Error("connection closed before a response"), { code: "ECONNRESET" }));
      this.deliver(null);
    });
    this.sock.on("close", () => {
      headFail(Object.assign(new Error("connection closed"), { code: "ECONNRESET" }));
      this.deliver(null);
    });
    if (signal) {
      this.onAbort = () => {
        const e = Object.assign(new Error("aborted"), { name: "AbortError" });
        this.sock.destroy(e);
      };
      if (signal.aborted) this.onAbort();
      else signal.addEventListener("abort", this.onAbort, { once: true });
    }
  }

  private onData(n: number, b: Buffer, headOk: (h: Head) => void, headFail: (e: Error) => void): boolean {
    if (this.headDone) return this.deliver(b.subarray(0, n));
    const before = this.headText.length;
    // latin1 maps bytes one to one, so offsets in the text are offsets in the bytes.
    this.headText += b.toString("latin1", 0, n);
    const end = this.headText.indexOf("\r\n\r\n");
    if (end < 0) {
      if (this.headText.length > MAX_HEAD) {
        headFail(new Error(`response head over ${MAX_HEAD} bytes`));
        this.sock.destroy();
      }
      return true;
    }
    this.headDone = true;
    try {
      headOk(parseHead(this.headText.slice(0, end)));
    } catch (e) {
      headFail(e as Error);
      this.sock.destroy();
      return false;
    }
    const from = end + 4 - before;
    return from < n ? this.deliver(b.subarray(from, n)) : true;
  }

  /** Hands one item to the reader; a body view pauses the socket until the reader is done with it. */
  private deliver(i: Item): boolean {
    if (this.ended) return true;
    if (!(i instanceof Uint8Array)) this.ended = true;
    const w = this.waiter;
    this.waiter = undefined;
    if (w) w(i);
    else this.queue.push(i);
    if (i instanceof Uint8Array) {
      this.paused = true;
      return false;
    }
    return true;
  }

  /** The next body view, or null at the end of the connection. */
  async next(): Promise<Uint8Array | null> {
    if (this.paused) {
      this.paused = false;
      this.sock.resume();
    }
    const i =
      this.queue.length > 0
        ? (this.queue.shift() as Item)
        : await new Promise<Item>((r) => (this.waiter = r));
    if (i instanceof Error) throw i;
    return i;
  }

  /** The error a non-2xx answer stands for, from its XML body when it has one. */
  async failure(head: Head, what: string, bucket: string, key: string): Promise<S3Error> {
    const parts: Buffer[] = [];
    let have = 0;
    const want = Number(head.headers.get("content-length") ?? MAX_ERROR_BODY);
    try {
      while (have < Math.min(want, MAX_ERROR_BODY)) {
        const v = await this.next();
        if (v === null) break;
        parts.push(Buffer.from(v));
        have += v.length;
      }
    } catch {
      // The status alone still says what happened.
    }
    this.close();
    const xml = Buffer.concat(parts).toString("utf8");
    const code = /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
    const message = /<Message>([^<]*)<\/Message>/.exec(xml)?.[1] ?? `HTTP ${head.status}`;
    return s3Error(
      Object.assign(new Error(message), {
        name: code ?? `HTTP${head.status}`,
        ...(code ? { Code: code } : {}),
        $metadata: { httpStatusCode: head.status },
      }),
      what,
      bucket,
      key,
    );
  }

  close(): void {
    if (this.onAbort) this.signal?.removeEventListener("abort", this.onAbort);
    this.sock.destroy();
  }
}

function parseHead(text: string): Head {
  const lines = text.split("\r\n");
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "");
  if (!m)
    throw Object.assign(new Error(`not an HTTP response: ${JSON.stringify((lines[0] ?? "").slice(0, 80))}`), {
      code: "EPROTO",
    });
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const c = line.indexOf(":");
    if (c > 0) headers.set(line.slice(0, c).trim().toLowerCase(), line.slice(c + 1).trim());
  }
  return { status: Number(m[1]), headers };
}
