import { createHash, type Hash } from "node:crypto";

// End-to-end content check for plain transfers. S3's ETag of an unencrypted object is the MD5 of
// its bytes (one PUT) or the MD5 of its parts' MD5s with "-N" (multipart). Hashing the bytes with
// the part size of the upload gives the ETag the server must report: on upload it proves the
// server stored what was sent, on download that what arrived is what was stored. This guards
// against corruption, not forgery (encrypted transfers have age's MAC for that).

/** Metadata key holding the part size an object was uploaded with. */
export const PART_SIZE_META = "dms-part-size";

/** Incremental S3 ETag over a byte stream cut into parts of `partSize`. */
export class EtagHasher {
  readonly #partSize: number;
  #part: Hash = createHash("md5");
  #inPart = 0;
  #parts: Buffer[] = [];
  #total = 0;
  constructor(partSize: number) {
    this.#partSize = partSize;
  }
  update(chunk: Uint8Array): void {
    this.#total += chunk.length;
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(chunk.length - off, this.#partSize - this.#inPart);
      this.#part.update(chunk.subarray(off, off + n));
      this.#inPart += n;
      off += n;
      if (this.#inPart === this.#partSize) {
        this.#parts.push(this.#part.digest());
        this.#part = createHash("md5");
        this.#inPart = 0;
      }
    }
  }
  /** The ETag (without quotes) a single PUT (`total <= partSize`) or multipart upload yields. */
  digest(): string {
    if (this.#inPart > 0 || this.#parts.length === 0) this.#parts.push(this.#part.digest());
    if (this.#total <= this.#partSize && this.#parts.length === 1)
      return (this.#parts[0] as Buffer).toString("hex");
    const all = createHash("md5");
    for (const p of this.#parts) all.update(p);
    return `${all.digest("hex")}-${this.#parts.length}`;
  }
}

/** The ETag without quotes, lower case; undefined when it is not an MD5 form (e.g. SSE-KMS on AWS). */
export function plainEtag(etag: string | undefined): string | undefined {
  if (!etag) return undefined;
  const e = etag.replace(/^"|"$/g, "").toLowerCase();
  return /^[0-9a-f]{32}(-\d+)?$/.test(e) ? e : undefined;
}
