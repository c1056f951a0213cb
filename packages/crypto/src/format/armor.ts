// ASCII armor: strict PEM (RFC 7468 §3, Figure 3) with label "AGE ENCRYPTED FILE", padded
// base64 at 64 columns (c2sp.org/age, ASCII armor). Anything else is rejected, because lax
// parsing makes armor malleable. Works on bytes, not strings, so 10 MiB files stay fast.
import { AgeError } from "../errors.js";

/** First line of an armored file. */
export const ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
/** Last line of an armored file. */
export const ARMOR_END = "-----END AGE ENCRYPTED FILE-----";
const COLUMNS = 64;
const LINE_BYTES = 48;
// Go age reads at most this much whitespace around the block.
const MAX_WHITESPACE = 1024;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const ENC = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const DEC = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) DEC[ENC[i] as number] = i;
const EQ = 0x3d;
const LF = 0x0a;
const CR = 0x0d;
const ascii = new TextEncoder();
const BEGIN_BYTES = ascii.encode(ARMOR_BEGIN);
const END_BYTES = ascii.encode(ARMOR_END);

function armorError(what: string): never {
  throw new AgeError("ERR_AGE_ARMOR", `age armor: ${what}; the armored file is damaged or not strict PEM`);
}

function notAgeError(): never {
  throw new AgeError(
    "ERR_AGE_NOT_AGE",
    "the input is not an age file: it starts with neither the age header line nor an armor BEGIN line; check that you gave the encrypted file",
  );
}

// Where the BEGIN line should be: binary bytes (or a line longer than any BEGIN line) mean the input is
// not age at all; printable text is armor that is damaged or mislabelled (as the CCTV vectors class it).
function badBeginLine(line: Uint8Array): never {
  for (const c of line) if (c !== 0x09 && (c < 0x20 || c > 0x7e)) notAgeError();
  armorError("the first line is not -----BEGIN AGE ENCRYPTED FILE-----, or this is not an age file");
}

export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === LF || c === CR;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Writes padded base64 of `src` followed by LF at `out[o]`; returns the new offset. */
function encodeLine(src: Uint8Array, out: Uint8Array, o: number): number {
  let i = 0;
  for (; i + 3 <= src.length; i += 3) {
    const n = ((src[i] as number) << 16) | ((src[i + 1] as number) << 8) | (src[i + 2] as number);
    out[o++] = ENC[n >> 18] as number;
    out[o++] = ENC[(n >> 12) & 63] as number;
    out[o++] = ENC[(n >> 6) & 63] as number;
    out[o++] = ENC[n & 63] as number;
  }
  const rest = src.length - i;
  if (rest > 0) {
    const n = ((src[i] as number) << 16) | (rest === 2 ? (src[i + 1] as number) << 8 : 0);
    out[o++] = ENC[n >> 18] as number;
    out[o++] = ENC[(n >> 12) & 63] as number;
    out[o++] = rest === 2 ? (ENC[(n >> 6) & 63] as number) : EQ;
    out[o++] = EQ;
  }
  out[o++] = LF;
  return o;
}

/** Incremental armor writer: feed binary, get ASCII bytes. */
export class ArmorEncoder {
  private readonly carry = new Uint8Array(LINE_BYTES);
  private fill = 0;
  private started = false;

  /** Returns the armored bytes for the whole 48-byte lines now available (keeps the last back). */
  push(data: Uint8Array): Uint8Array {
    const total = this.fill + data.length;
    // Keep at least one byte back so the final line is never empty.
    const lines = Math.floor(Math.max(0, total - 1) / LINE_BYTES);
    const head = this.started ? 0 : BEGIN_BYTES.length + 1;
    const out = new Uint8Array(head + lines * (COLUMNS + 1));
    let o = 0;
    if (!this.started) {
      out.set(BEGIN_BYTES, 0);
      out[BEGIN_BYTES.length] = LF;
      o = head;
      this.started = true;
    }
    let d = data;
    for (let l = 0; l < lines; l++) {
      if (this.fill > 0) {
        const n = LINE_BYTES - this.fill;
        this.carry.set(d.subarray(0, n), this.fill);
        d = d.subarray(n);
        this.fill = 0;
        o = encodeLine(this.carry, out, o);
      } else {
        o = encodeLine(d.subarray(0, LINE_BYTES), out, o);
        d = d.subarray(LINE_BYTES);
      }
    }
    this.carry.set(d, this.fill);
    this.fill += d.length;
    return out;
  }

  /** Returns the last line and the END marker. */
  finish(): Uint8Array {
    const head = this.started ? 0 : BEGIN_BYTES.length + 1;
    const out = new Uint8Array(head + (this.fill > 0 ? COLUMNS + 1 : 0) + END_BYTES.length + 1);
    let o = 0;
    if (!this.started) {
      out.set(BEGIN_BYTES, 0);
      out[BEGIN_BYTES.length] = LF;
      o = head;
      this.started = true;
    }
    if (this.fill > 0) o = encodeLine(this.carry.subarray(0, this.fill), out, o);
    out.set(END_BYTES, o);
    out[o + END_BYTES.length] = LF;
    this.fill = 0;
    return out.subarray(0, o + END_BYTES.length + 1);
  }
}

/** Armors a complete binary age file. */
export function armor(data: Uint8Array): Uint8Array {
  const enc = new ArmorEncoder();
  const a = enc.push(data);
  const b = enc.finish();
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

type State = "pre" | "begin" | "body" | "end" | "post";
// Longest legal line: 64 base64 characters plus CR.
const MAX_LINE = COLUMNS + 1;

/** Incremental strict armor reader: feed ASCII bytes, get the binary age file. */
export class ArmorDecoder {
  private state: State = "pre";
  private readonly line = new Uint8Array(MAX_LINE);
  private lineLen = 0;
  private whitespace = 0;

  /** Decodes what is available; throws ERR_AGE_ARMOR as soon as the input cannot be valid. */
  push(data: Uint8Array): Uint8Array {
    // Every 65 input bytes decode to at most 48 output bytes.
    const out = new Uint8Array(Math.ceil(((data.length + this.lineLen) * 3) / 4));
    let o = 0;
    let i = 0;
    while (i < data.length) {
      if (this.state === "pre" || this.state === "post") {
        const c = data[i] as number;
        if (!isSpace(c)) {
          if (this.state === "post") armorError("data after the END line");
          this.state = "begin";
          this.whitespace = 0;
          continue;
        }
        if (++this.whitespace > MAX_WHITESPACE)
          armorError(`more than ${MAX_WHITESPACE} bytes of whitespace around the armor`);
        i++;
        continue;
      }
      const lf = data.indexOf(LF, i);
      const end = lf < 0 ? data.length : lf;
      if (this.lineLen + (end - i) > MAX_LINE) {
        // No BEGIN line is that long: such input is not armor at all (random binary, say).
        if (this.state === "begin") notAgeError();
        armorError("line too long");
      }
      this.line.set(data.subarray(i, end), this.lineLen);
      this.lineLen += end - i;
      i = end;
      if (lf < 0) break;
      i++;
      let len = this.lineLen;
      this.lineLen = 0;
      if (len > 0 && this.line[len - 1] === CR) len--;
      o = this.handle(this.line.subarray(0, len), out, o);
    }
    if (this.state === "begin") {
      const partial = this.line.subarray(0, this.lineLen);
      if (!equalBytes(partial, BEGIN_BYTES.subarray(0, partial.length))) badBeginLine(partial);
    }
    return out.subarray(0, o);
  }

  private handle(line: Uint8Array, out: Uint8Array, o: number): number {
    if (this.state === "begin") {
      if (!equalBytes(line, BEGIN_BYTES)) badBeginLine(line);
      this.state = "body";
      return o;
    }
    if (equalBytes(line, END_BYTES)) {
      this.state = "post";
      return o;
    }
    if (this.state === "end") armorError("body line after a short or padded line");
    const n = line.length;
    if (n === 0 || n > COLUMNS || n % 4 !== 0) armorError("body line has the wrong length");
    const pad = line[n - 1] === EQ ? (line[n - 2] === EQ ? 2 : 1) : 0;
    for (let k = 0; k + 4 <= n; k += 4) {
      const last = k + 4 === n;
      const a = DEC[line[k] as number] as number;
      const b = DEC[line[k + 1] as number] as number;
      const c = last && pad === 2 ? 0 : (DEC[line[k + 2] as number] as number);
      const d = last && pad >= 1 ? 0 : (DEC[line[k + 3] as number] as number);
      if ((a | b | c | d) < 0) armorError("body is not base64");
      const v = (a << 18) | (b << 12) | (c << 6) | d;
      out[o++] = v >> 16;
      if (last && pad === 2) {
        // Canonical: the unused bits of the last character must be zero (RFC 4648 §3.5).
        if ((b & 15) !== 0) armorError("body is not canonical base64");
        continue;
      }
      out[o++] = (v >> 8) & 255;
      if (last && pad === 1) {
        if ((c & 3) !== 0) armorError("body is not canonical base64");
        continue;
      }
      out[o++] = v & 255;
    }
    if (n < COLUMNS || pad > 0) this.state = "end";
    return o;
  }

  /** Checks that the armor was complete. */
  finish(): void {
    if (this.state === "post") return;
    if (this.state === "pre") armorError("no armor found");
    // The END line may lack its final newline.
    let len = this.lineLen;
    if (len > 0 && this.line[len - 1] === CR) len--;
    if ((this.state === "end" || this.state === "body") && equalBytes(this.line.subarray(0, len), END_BYTES))
      return;
    armorError("armor is truncated (no END line)");
  }
}

/** Removes strict armor from a complete input. @throws AgeError ERR_AGE_ARMOR */
export function dearmor(data: Uint8Array): Uint8Array {
  const d = new ArmorDecoder();
  const out = d.push(data);
  d.finish();
  return out;
}

const MAGIC = "age-encryption.org/";

/**
 * Format detection: a binary age file starts with `age-encryption.org/` at byte 0; anything else
 * is read as armor (so garbage fails as ERR_AGE_ARMOR, as the CCTV testkit expects). Returns
 * null while the bytes seen so far are a proper prefix of that magic (including none).
 */
export function looksArmored(data: Uint8Array): boolean | null {
  const n = Math.min(data.length, MAGIC.length);
  for (let i = 0; i < n; i++) if (data[i] !== MAGIC.charCodeAt(i)) return true;
  return n === MAGIC.length ? false : null;
}
