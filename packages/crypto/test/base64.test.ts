import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBase64, encodeBase64 } from "../src/format/base64.js";

describe("unpadded canonical base64", () => {
  it("round-trips random bytes and matches Node's encoder without padding", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        const s = encodeBase64(b);
        expect(s).toBe(Buffer.from(b).toString("base64").replace(/=+$/, ""));
        expect(decodeBase64(s)).toEqual(b);
      }),
    );
  });

  it.each([
    ["padding", "AA=="],
    ["one padding char", "AAA="],
    ["length 1 mod 4", "AAAAA"],
    ["non-zero trailing bits (1 byte)", "AB"],
    ["non-zero trailing bits (2 bytes)", "AAB"],
    ["url-safe alphabet", "-_-_"],
    ["whitespace", "AA AA"],
    ["newline", "AAAA\n"],
    ["non-ASCII", "AAA\u00e9"],
    ["wide char aliasing 'A'", "AA\u0141A"],
  ])("rejects %s", (_name, text) => {
    expect(decodeBase64(text)).toBeNull();
  });

  it("accepts the empty string as zero bytes", () => {
    expect(decodeBase64("")).toEqual(new Uint8Array(0));
  });
});
