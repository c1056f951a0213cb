import type { Backend } from "../backend/types.js";
import { AgeError, headerError } from "../errors.js";
import { decodeBase64, encodeBase64 } from "./base64.js";
import { MAX_HEADER_BYTES, MAX_STANZA_ARGS, MAX_STANZAS } from "./limits.js";

/** One recipient stanza: its type (first argument), the other arguments, and the decoded body. */
export interface Stanza {
  type: string;
  args: string[];
  body: Uint8Array;
}

/** A parsed age v1 header. */
export interface Header {
  stanzas: Stanza[];
  /** The 32-byte header MAC from the `---` line. */
  mac: Uint8Array;
  /** The header bytes the MAC covers: everything up to and including `---`. */
  macInput: Uint8Array;
}

const VERSION_LINE = "age-encryption.org/v1";
const VERSION_PREFIX = "age-encryption.org/";
const LF = 0x0a;
// c2sp.org/age header ABNF: a full body line is 64 base64 characters (48 bytes).
const BODY_COLUMNS = 64;

function latin1(buf: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i += 8192) {
    s += String.fromCharCode(...buf.subarray(i, Math.min(end, i + 8192)));
  }
  return s;
}

function isArgument(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/**
 * Parses an age v1 header from the start of `buf`, enforcing every rule of the spec's
 * grammar (version line, stanza arguments of VCHARs, 64-column canonical unpadded base64
 * bodies ending on a short line, a `--- ` MAC line of 43 base64 characters, LF only), plus
 * caps on header size and stanza count.
 *
 * Returns null when `buf` holds a valid prefix of a header but not all of it yet.
 * The MAC is not checked here (that needs the file key): see {@link verifyHeaderMac}.
 *
 * @throws AgeError ERR_AGE_HEADER on any violation.
 */
export function parseHeader(buf: Uint8Array): { header: Header; length: number } | null {
  let pos = 0;
  const nextLine = (): string | null => {
    const limit = Math.min(buf.length, MAX_HEADER_BYTES);
    const end = buf.indexOf(LF, pos);
    if (end < 0 || end >= limit) {
      if (buf.length >= MAX_HEADER_BYTES) headerError(`header is larger than ${MAX_HEADER_BYTES} bytes`);
      return null;
    }
    const line = latin1(buf, pos, end);
    pos = end + 1;
    return line;
  };

  const first = nextLine();
  if (first === null) {
    // Fail fast on input that can never become a header, so a stream does not buffer garbage.
    const have = latin1(buf, 0, Math.min(buf.length, VERSION_PREFIX.length));
    if (!VERSION_PREFIX.startsWith(have)) headerError("not an age file (missing version line)");
    return null;
  }
  if (first !== VERSION_LINE) {
    if (first.startsWith(VERSION_PREFIX)) headerError("unsupported age version");
    headerError("not an age file (missing version line)");
  }

  const stanzas: Stanza[] = [];
  for (;;) {
    const lineStart = pos;
    const line = nextLine();
    if (line === null) return null;
    if (line.startsWith("-> ")) {
      if (stanzas.length >= MAX_STANZAS) headerError(`more than ${MAX_STANZAS} stanzas`);
      const parts = line.slice(3).split(" ");
      if (parts.length > MAX_STANZA_ARGS + 1) headerError("too many stanza arguments");
      for (const p of parts) if (!isArgument(p)) headerError("empty or invalid stanza argument");
      const [type, ...args] = parts as [string, ...string[]];
      let b64 = "";
      for (;;) {
        const bodyLine = nextLine();
        if (bodyLine === null) return null;
        if (bodyLine.length > BODY_COLUMNS) headerError("stanza body line longer than 64 columns");
        b64 += bodyLine;
        if (bodyLine.length < BODY_COLUMNS) break;
      }
      const body = decodeBase64(b64);
      if (body === null) headerError("stanza body is not canonical unpadded base64");
      stanzas.push({ type, args, body });
      continue;
    }
    if (line.startsWith("---")) {
      if (stanzas.length === 0) headerError("header has no stanzas");
      if (!line.startsWith("--- ") || line.length !== 4 + 43) headerError("malformed MAC line");
      const mac = decodeBase64(line.slice(4));
      if (mac === null || mac.length !== 32) headerError("MAC is not canonical unpadded base64");
      return {
        header: { stanzas, mac, macInput: buf.slice(0, lineStart + 3) },
        length: pos,
      };
    }
    headerError("unexpected line in header");
  }
}

/** Serialises stanzas as header text up to and including the `---` mark (the MAC input). */
export function encodeStanzas(stanzas: readonly Stanza[]): Uint8Array {
  let s = `${VERSION_LINE}\n`;
  for (const st of stanzas) {
    for (const a of [st.type, ...st.args]) {
      if (!isArgument(a)) throw new RangeError("stanza argument must be 1 or more VCHARs");
    }
    s += `-> ${[st.type, ...st.args].join(" ")}\n`;
    const b64 = encodeBase64(st.body);
    // Always end on a short (possibly empty) line, as the grammar requires.
    for (let i = 0; i <= b64.length; i += BODY_COLUMNS) s += `${b64.slice(i, i + BODY_COLUMNS)}\n`;
  }
  s += "---";
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** HMAC key = HKDF-SHA-256(ikm = file key, salt = empty, info = "header") (c2sp.org/age, Header MAC). */
export function headerMac(backend: Backend, fileKey: Uint8Array, macInput: Uint8Array): Uint8Array {
  const key = backend.hkdf(fileKey, new Uint8Array(0), "header", 32);
  return backend.hmac(key, macInput);
}

/** Builds the complete header bytes (with MAC line) for the given stanzas and file key. */
export function writeHeader(backend: Backend, fileKey: Uint8Array, stanzas: readonly Stanza[]): Uint8Array {
  if (stanzas.length === 0) throw new RangeError("stanzas: expected at least one");
  // The decrypting side refuses headers past these caps; refuse to write one here instead.
  if (stanzas.length > MAX_STANZAS) {
    throw new AgeError(
      "ERR_AGE_USAGE",
      `${stanzas.length} recipients: at most ${MAX_STANZAS} fit one age header; split the recipients`,
    );
  }
  const macInput = encodeStanzas(stanzas);
  if (macInput.length + 46 > MAX_HEADER_BYTES) {
    throw new AgeError(
      "ERR_AGE_USAGE",
      `the header for ${stanzas.length} recipients exceeds ${MAX_HEADER_BYTES} bytes; split the recipients`,
    );
  }
  const mac = encodeBase64(headerMac(backend, fileKey, macInput));
  const tail = ` ${mac}\n`;
  const out = new Uint8Array(macInput.length + tail.length);
  out.set(macInput, 0);
  for (let i = 0; i < tail.length; i++) out[macInput.length + i] = tail.charCodeAt(i);
  return out;
}

/** Constant-time equality of two byte strings. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= (a[i] as number) ^ (b[i] as number);
  return d === 0;
}

/** True if the header MAC matches under `fileKey`. */
export function verifyHeaderMac(backend: Backend, fileKey: Uint8Array, header: Header): boolean {
  return constantTimeEqual(headerMac(backend, fileKey, header.macInput), header.mac);
}
