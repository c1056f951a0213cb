import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import type { S3Params } from "./params.js";

/** How to reach the store. Unset fields come from the SDK's standard chain (env, shared config, profiles). */
export interface S3ClientOptions {
  /** e.g. `http://127.0.0.1:7480` (Ceph RGW, MinIO). Default: `S3_ENDPOINT` / `AWS_ENDPOINT_URL_S3` / AWS. */
  endpoint?: string | undefined;
  /** Default: the SDK chain, else `us-east-1`. */
  region?: string | undefined;
  /** Path-style URLs (`host/bucket/key`); default true when an endpoint is set. */
  forcePathStyle?: boolean | undefined;
  /** Attempts per request for transient errors (5xx, throttling, reset), with backoff. Default 5. */
  maxAttempts?: number | undefined;
  /**
   * A request whose connection stays silent this long (ms: nothing sent, nothing received) fails
   * as ERR_S3_NETWORK after the retries, instead of waiting forever on a store that stopped
   * answering (a full Ceph cluster blocks writes). Default 60 000; 0 turns it off.
   */
  idleTimeout?: number | undefined;
  /** Explicit credentials; default: the SDK chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
  /** Environment to read `S3_ENDPOINT` and `AWS_REGION` from; default `process.env` at call time. */
  env?: Record<string, string | undefined> | undefined;
}

const DEFAULT_IDLE_TIMEOUT = 60_000;

/** Clients made by {@link createS3Client}, with their idle timeout (their request handler is the SDK's default). */
const madeHere = new WeakMap<S3Client, number>();

/**
 * The idle timeout (ms, 0 = none) of a client made by {@link createS3Client}; undefined for any
 * other client, whose request handler (a proxy agent, custom TLS) only the SDK's transport honours.
 */
export function ownIdleTimeout(client: S3Client): number | undefined {
  return madeHere.get(client);
}

/** Either a ready client or how to make one. */
export type ClientSource = S3Client | S3ClientOptions;

/**
 * Makes an S3 client. Checksums are computed and validated only where the API requires them:
 * the SDK's default (a streaming body sent aws-chunked with a trailing checksum) is refused by
 * Ceph RGW 16 with 411 MissingContentLength, and age's MAC and the stored digest check content.
 */
export function createS3Client(o: S3ClientOptions = {}, params?: Partial<S3Params>): S3Client {
  const env = o.env ?? process.env;
  const blank = (s: string | undefined) => (s === undefined || s.trim() === "" ? undefined : s);
  const endpoint =
    blank(params?.endpoint) ?? blank(o.endpoint) ?? blank(env.S3_ENDPOINT) ?? blank(env.AWS_ENDPOINT_URL_S3);
  const region =
    blank(params?.region) ?? blank(o.region) ?? blank(env.AWS_REGION) ?? blank(env.AWS_DEFAULT_REGION);
  const cfg: S3ClientConfig = {
    region: region ?? "us-east-1",
    maxAttempts: o.maxAttempts ?? 5,
    retryMode: "standard",
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    requestHandler: { socketTimeout: o.idleTimeout ?? DEFAULT_IDLE_TIMEOUT },
  };
  if (endpoint) {
    cfg.endpoint = endpoint;
    cfg.forcePathStyle = o.forcePathStyle ?? true;
  } else if (o.forcePathStyle !== undefined) cfg.forcePathStyle = o.forcePathStyle;
  if (o.credentials) cfg.credentials = o.credentials;
  const client = new S3Client(cfg);
  madeHere.set(client, o.idleTimeout ?? DEFAULT_IDLE_TIMEOUT);
  return client;
}

/** The client to use for `params`: the given one, or a new one (then `owned`, to destroy after). */
export function clientFor(
  src: ClientSource | undefined,
  params?: Partial<S3Params>,
): { client: S3Client; owned: boolean } {
  if (src instanceof S3Client) return { client: src, owned: false };
  return { client: createS3Client(src ?? {}, params), owned: true };
}
