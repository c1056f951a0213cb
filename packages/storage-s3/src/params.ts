import { hasBidiControl, hasControl, MAX_NAME_BYTES, nameBytes } from "@dms/fs";
import { S3Error } from "./errors.js";

/** Upstream's `SpecConfig` as far as this package reads it (structurally; `@dms/types` has the class). */
export interface SpecConfigLike {
  type: string;
  params?: Record<string, unknown> | undefined;
}

/** Upstream S3 provider params, read case-insensitively as mapstructure does. */
export interface S3Params {
  bucket: string;
  /** One object (no trailing `/`, no `*`), or a prefix. Empty: the whole bucket. */
  key: string;
  /** Glob on the part of each key after the prefix (`*` any run without `/`, `**` anything, `?` one char). */
  filter: string;
  region: string;
  endpoint: string;
}

const FIELDS = ["bucket", "key", "filter", "region", "endpoint"] as const;

/**
 * Reads the params of a `SpecConfig` of type `s3`. Names match case-insensitively (`Bucket`,
 * `BUCKET`); every value must be a string.
 *
 * @throws S3Error ERR_S3_PARAMS for a type other than s3, missing params, a non-string value or an
 * empty bucket; TypeError when `spec` is not an object.
 */
export function parseSpec(spec: SpecConfigLike): S3Params {
  if (spec === null || typeof spec !== "object") {
    throw new TypeError(`spec: expected a SpecConfig object, got ${spec === null ? "null" : typeof spec}`);
  }
  if (typeof spec.type !== "string" || spec.type.trim().toLowerCase() !== "s3") {
    throw new S3Error("ERR_S3_PARAMS", `spec type must be "s3", got ${JSON.stringify(spec.type)}`);
  }
  const raw = spec.params;
  if (raw === undefined || raw === null || typeof raw !== "object") {
    throw new S3Error("ERR_S3_PARAMS", "spec params are missing: s3 needs at least a bucket");
  }
  const out: S3Params = { bucket: "", key: "", filter: "", region: "", endpoint: "" };
  for (const [name, value] of Object.entries(raw)) {
    const field = FIELDS.find((f) => f === name.toLowerCase());
    if (!field) continue; // mapstructure ignores unknown keys
    if (value === undefined || value === null) continue;
    if (typeof value !== "string") {
      throw new S3Error("ERR_S3_PARAMS", `spec param ${name} must be a string, got ${typeof value}`);
    }
    out[field] = value;
  }
  if (out.bucket === "") throw new S3Error("ERR_S3_PARAMS", "spec param bucket is empty");
  return out;
}

/** A parsed `s3://bucket/key` URL. */
export interface S3Location {
  bucket: string;
  key: string;
}

/** True when `s` is an `s3://` URL (the CLI's test for loading this package). */
export function isS3Url(s: unknown): s is string {
  return typeof s === "string" && /^s3:\/\//i.test(s);
}

/**
 * Parses `s3://bucket/key/...`. The key may be empty (the whole bucket) and is kept byte for byte.
 *
 * @throws S3Error ERR_S3_PARAMS when it is not an s3:// URL or has no bucket; TypeError for a non-string.
 */
export function parseS3Url(url: string): S3Location {
  if (typeof url !== "string") throw new TypeError(`url: expected a string, got ${typeof url}`);
  if (!isS3Url(url)) throw new S3Error("ERR_S3_PARAMS", `not an s3:// URL: ${JSON.stringify(url)}`);
  const rest = url.slice(5);
  const slash = rest.indexOf("/");
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const key = slash < 0 ? "" : rest.slice(slash + 1);
  if (bucket === "") throw new S3Error("ERR_S3_PARAMS", `no bucket in ${JSON.stringify(url)}`);
  return { bucket, key };
}

/** Upstream's rule: a key names one object unless it is empty, ends with `/` or holds `*`. */
export function isSingleObject(key: string): boolean {
  return key !== "" && !key.endsWith("/") && !key.includes("*");
}

/** A glob as a RegExp: `**` anything, `*` anything but `/`, `?` one char but `/`. */
export function globRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*" && glob[i + 1] === "*") {
      re += ".*";
      i++;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[\\^$.+()|{}[\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "s");
}

/**
 * The relative path a key lands at inside a volume, or an ERR_S3_UNSAFE_KEY error when it would
 * leave the volume or cannot be a file name: absolute, `.`/`..` or empty segments, backslashes,
 * control characters (NUL and terminal escapes included), bidirectional controls, or a segment
 * over 255 bytes. The name rules are @dms/fs's, the ones the archive extractor applies.
 */
export function safeRelativePath(key: string, bucket: string): string {
  const refuse = (why: string): never => {
    throw new S3Error("ERR_S3_UNSAFE_KEY", `key ${JSON.stringify(key)} in bucket ${bucket} ${why}; refused`, {
      bucket,
      key,
    });
  };
  const segs = key.split("/");
  if (
    key === "" ||
    key.startsWith("/") ||
    key.includes("\\") ||
    segs.some((seg, i) => seg === "." || seg === ".." || (seg === "" && i < segs.length - 1))
  ) {
    refuse("would land outside the volume or is not a path");
  }
  if (hasControl(key)) refuse("holds a control character");
  if (hasBidiControl(key)) refuse("holds a bidirectional control character, which can disguise a name");
  // A name the filesystem cannot hold would fail mid-download with a bare ENAMETOOLONG.
  const long = segs.find((seg) => nameBytes(seg) > MAX_NAME_BYTES);
  if (long !== undefined) {
    refuse(`has a path segment of ${nameBytes(long)} bytes; file names hold at most ${MAX_NAME_BYTES}`);
  }
  return key;
}
