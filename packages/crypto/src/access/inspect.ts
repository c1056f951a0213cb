// Reading what an age file says about itself, without any key.
import { headerError } from "../errors.js";
import { ArmorDecoder, looksArmored } from "../format/armor.js";
import { type Header, parseHeader } from "../format/header.js";
import { MAX_HEADER_BYTES } from "../format/limits.js";
import { describeStanza } from "../recipients/registry.js";
import { payloadLayout } from "../stream/size.js";
import { type RangeSource, readHeader } from "./range.js";

/** One recipient stanza as shown by {@link inspect}. */
export interface StanzaInfo {
  type: string;
  /** Arguments of stanzas of unknown types; empty for the native and well-known types. */
  args: string[];
  /** scrypt only: the work factor (logN) a passphrase will cost. */
  workFactor?: number | undefined;
}

/** What {@link inspect} reports. */
export interface InspectResult {
  armored: boolean;
  stanzas: StanzaInfo[];
  /** Header size in the binary form. */
  headerBytes: number;
  /** Bytes after the header in the binary form, including the 16-byte nonce. */
  payloadBytes: number;
  /** Plaintext size implied by the payload length (not authenticated: that needs the key). */
  plaintextBytes: number;
  /** Size of the input as given (armored size for armored input). */
  fileBytes: number;
}

function describe(
  header: Header,
  headerBytes: number,
  binaryBytes: number,
  armored: boolean,
  fileBytes: number,
): InspectResult {
  const { plaintextBytes } = payloadLayout(binaryBytes - headerBytes);
  const stanzas = header.stanzas.map(describeStanza);
  return {
    armored,
    stanzas,
    headerBytes,
    payloadBytes: binaryBytes - headerBytes,
    plaintextBytes,
    fileBytes,
  };
}

async function* chunksOf(src: RangeSource, size: number): AsyncGenerator<Uint8Array> {
  const step = 1024 * 1024;
  for (let at = 0; at < size; at += step) yield await src.read(at, Math.min(step, size - at));
}

async function inspectArmored(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  fileBytes: number,
): Promise<InspectResult> {
  const d = new ArmorDecoder();
  let head = new Uint8Array(0);
  let parsed: { header: Header; length: number } | null = null;
  let binary = 0;
  for await (const c of chunks) {
    const bin = d.push(c);
    binary += bin.length;
    if (parsed === null && bin.length > 0) {
      const grown = new Uint8Array(head.length + bin.length);
      grown.set(head);
      grown.set(bin, head.length);
      head = grown.length > MAX_HEADER_BYTES ? grown.subarray(0, MAX_HEADER_BYTES + 1) : grown;
      parsed = parseHeader(head);
    }
  }
  d.finish();
  if (parsed === null) headerError(binary === 0 ? "input is empty" : "header is truncated");
  return describe(parsed.header, parsed.length, binary, true, fileBytes);
}

/**
 * Describes an age file without any key: armored or not, the recipient stanzas (types, the
 * scrypt work factor, and the arguments of unknown types; never a body), and the header,
 * payload and plaintext sizes. A binary file is read only as far as its header; an armored
 * one is read through once, without holding it.
 *
 * @param source the bytes, or any {@link RangeSource} (on Node also a path); a source is not closed.
 * @throws AgeError ERR_AGE_HEADER, ERR_AGE_ARMOR, ERR_AGE_PAYLOAD (no valid payload has that
 * length), ERR_AGE_IO.
 * @example
 * ```ts
 * const info = await inspect(blobRangeSource(file));
 * if (info.stanzas.some((s) => s.type === "scrypt")) askForPassphrase();
 * ```
 */
export async function inspect(source: Uint8Array | RangeSource): Promise<InspectResult> {
  if (source instanceof Uint8Array) {
    if (looksArmored(source.subarray(0, 32)) === true) {
      return inspectArmored([source], source.length);
    }
    const parsed = parseHeader(source);
    if (parsed === null) headerError(source.length === 0 ? "input is empty" : "header is truncated");
    return describe(parsed.header, parsed.length, source.length, false, source.length);
  }
  if (typeof source !== "object" || source === null || typeof source.read !== "function")
    throw new TypeError(`source: expected a Uint8Array or a range source, got ${typeof source}`);
  const size = await source.size();
  const start = await source.read(0, Math.min(size, 32));
  if (looksArmored(start) === true) return await inspectArmored(chunksOf(source, size), size);
  const { header, length } = await readHeader(source, size, { bytesRead: 0 });
  return describe(header, length, size, false, size);
}
