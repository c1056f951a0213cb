// ASCII armor: strict PEM (RFC 7468 §3, Figure 3) with label "AGE ENCRYPTED FILE", padded
// base64 at 64 columns (c2sp.org/age, ASCII armor). Anything else is rejected, because lax
// parsing makes armor malleable.
import { decodeBase64 } from "./base64.js";
import { AgeError } from "./errors.js";

/** First line of an armored file. */
export const ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
/** Last line of an armored file. */
export const ARMOR_END = "-----END AGE ENCRYPTED FILE-----";
const COLUMNS = 64;
// Go age reads at most this much whitespace around the block.
const MAX_WHITESPACE = 1024;
const PAD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function armorError(what: string): never {
  throw new AgeError("ERR_AGE_ARMOR", `age armor: ${what}; the armored file is damaged or not strict PEM`);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Incremental armor writer: feed binary, get ASCII. */
export class ArmorEncoder {
  private carry = new Uint8Array(0);
  private started = false;

  private line(bytes: Uint8Array): string {
    let s = "";
    for (let i = 0; i < bytes.length; i += 3) {
      const a = bytes[i] as number;
      const b = bytes[i + 1];
      const c = bytes[i + 2];
      const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
      s += PAD_ALPHABET.charAt(n >> 18);
      s += PAD_ALPHABET.charAt((n >> 12) & 63);
      s += b === undefined ? "=" : PAD_ALPHABET.charAt((n >> 6) & 63);
      s += c === undefined ? "=" : PAD_ALPHABET.charAt(n & 63);
    }
    return `${s}\n`;
  }

  /** Returns the armored text for the whole 48-byte lines now available. */
  push(data: Uint8Array): string {
    let out = "";
    if (!this.started) {
      this.started = true;
      out += `${ARMOR_BEGIN}\n`;
    }
    const all = new Uint8Array(this.carry.length + data.length);
    all.set(this.carry, 0);
    all.set(data, this.carry.length);
    // Keep at least one byte back so the final line is never empty.
    const whole = Math.floor(Math.max(0, all.length - 1) / 48) * 48;
    const parts: string[] = [];
    for (let i = 0; i < whole; i += 48) parts.push(this.line(all.subarray(i, i + 48)));
    this.carry = all.slice(whole);
    return out + parts.join("");
  }

  /** Returns the last line and the END marker. */
  finish(): string {
    const out = this.started ? "" : `${ARMOR_BEGIN}\n`;
    this.started = true;
    return `${out}${this.carry.length > 0 ? this.line(this.carry) : ""}${ARMOR_END}\n`;
  }
}

/** Armors a complete binary age file. */
export function armor(data: Uint8Array): Uint8Array {
  const enc = new ArmorEncoder();
  return new TextEncoder().encode(enc.push(data) + enc.finish());
}

type State = "pre" | "begin" | "body" | "end" | "post";

/** Incremental strict armor reader: feed ASCII, get the binary age file. */
export class ArmorDecoder {
  private state: State = "pre";
  private buf = "";
  private whitespace = 0;
  private lines = 0;

  /** Decodes what is available; throws ERR_AGE_ARMOR as soon as the input cannot be valid. */
  push(data: Uint8Array): Uint8Array {
    const out: Uint8Array[] = [];
    let i = 0;
    while (i < data.length) {
      const c = data[i] as number;
      if (this.state === "pre") {
        if (isSpace(c)) {
          if (++this.whitespace > MAX_WHITESPACE) armorError("too much whitespace before the armor");
          i++;
          continue;
        }
        this.state = "begin";
        this.whitespace = 0;
      }
      if (this.state === "post") {
        if (!isSpace(c)) armorError("data after the END line");
        if (++this.whitespace > MAX_WHITESPACE) armorError("too much whitespace after the armor");
        i++;
        continue;
      }
      if (c > 0x7e || (c < 0x20 && c !== 0x0a && c !== 0x0d)) armorError("non-ASCII byte");
      if (c !== 0x0a) {
        this.buf += String.fromCharCode(c);
        if (this.buf.length > COLUMNS + 1) armorError("line too long");
        i++;
        continue;
      }
      i++;
      let line = this.buf;
      this.buf = "";
      if (line.endsWith("\r")) line = line.slice(0, -1);
      const bytes = this.line(line);
      if (bytes) out.push(bytes);
    }
    if (this.state === "begin" && !ARMOR_BEGIN.startsWith(this.buf)) {
      armorError("input is neither a binary age file nor armored (no BEGIN line)");
    }
    if (out.length === 1) return out[0] as Uint8Array;
    let n = 0;
    for (const o of out) n += o.length;
    const all = new Uint8Array(n);
    let off = 0;
    for (const o of out) {
      all.set(o, off);
      off += o.length;
    }
    return all;
  }

  private line(line: string): Uint8Array | null {
    switch (this.state) {
      case "begin":
        if (line !== ARMOR_BEGIN)
          armorError("input is neither a binary age file nor armored (no BEGIN line)");
        this.state = "body";
        return null;
      case "body":
      case "end": {
        if (line === ARMOR_END) {
          this.state = "post";
          return null;
        }
        if (this.state === "end") armorError("body line after a short or padded line");
        if (line.length === 0 || line.length > COLUMNS) armorError("body line has the wrong length");
        if (line.length % 4 !== 0) armorError("body line is not padded base64");
        const pad = line.endsWith("==") ? 2 : line.endsWith("=") ? 1 : 0;
        const bytes = decodeBase64(line.slice(0, line.length - pad));
        // Canonical padded base64: the unpadded form must need exactly `pad` pad characters.
        if (bytes === null || (4 - ((line.length - pad) % 4)) % 4 !== pad)
          armorError("body is not canonical base64");
        this.lines++;
        if (line.length < COLUMNS || pad > 0) this.state = "end";
        return bytes;
      }
      default:
        return armorError("unexpected line");
    }
  }

  /** Checks that the armor was complete. */
  finish(): void {
    if (this.state === "post") return;
    if (this.state === "pre") armorError("no armor found");
    // The END line may lack its final newline.
    if ((this.state === "end" || this.state === "body") && this.buf === ARMOR_END) return;
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
