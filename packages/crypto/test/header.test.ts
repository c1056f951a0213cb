// One case per header rule of /work/shared/spec/age-format.md (§1 grammar, §6 Header 1-10, the
// scrypt DoS cases) and c2sp.org/age, each through both backends and the public decrypt().
import { afterEach, describe, expect, it, vi } from "vitest";
import { getBackend } from "../src/backend/select.js";
import { encodeBase64 } from "../src/format/base64.js";
import { parseHeader } from "../src/format/header.js";
import { MAX_HEADER_BYTES, MAX_STANZAS } from "../src/format/limits.js";
import { decrypt } from "../src/session/decrypt.js";
import { FILE_KEY, file, IDENTITY, payload, stanzasText, withMac, x25519Stanza } from "./fixture.js";
import { BACKENDS, bytes, concat, expectCode, fromLatin1, utf8 } from "./helpers.js";

const PLAIN = utf8.encode("header rules");

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(BACKENDS)("header rules (%s backend)", (name) => {
  const b = getBackend(name);
  const good = () => x25519Stanza(b);
  const opts = { identities: [IDENTITY], backend: name };
  /** A file whose header text is `upToDashes` with a valid MAC, followed by a valid payload. */
  const fileFrom = (upToDashes: string) => concat([fromLatin1(withMac(b, upToDashes)), payload(b, PLAIN)]);
  const goodText = () => stanzasText([good()]);

  it("accepts the well-formed baseline", async () => {
    expect(await decrypt(file(b, [good()], PLAIN), opts)).toEqual(PLAIN);
    expect(await decrypt(fileFrom(goodText()), opts)).toEqual(PLAIN);
  });

  const malformed: [string, () => Uint8Array][] = [
    ["unsupported version", () => fileFrom(goodText().replace("/v1\n", "/v2\n"))],
    ["version line with trailing space", () => fileFrom(goodText().replace("/v1\n", "/v1 \n"))],
    ["CRLF version line", () => fileFrom(goodText().replace("/v1\n", "/v1\r\n"))],
    ["CR at end of the stanza line", () => fileFrom(goodText().replace(/^(-> .*)$/m, "$1\r"))],
    ["CR at end of a body line", () => fileFrom(goodText().replace(/\n---$/, "\r\n---"))],
    ["empty argument (double space)", () => fileFrom(goodText().replace("-> X25519 ", "-> X25519  "))],
    ["empty trailing argument", () => fileFrom(goodText().replace(/^(-> .*)$/m, "$1 "))],
    ["stanza with no arguments", () => fileFrom(goodText().replace(/^-> .*$/m, "-> "))],
    ["arrow without space", () => fileFrom(goodText().replace("-> X25519 ", "->X25519 "))],
    ["tab inside an argument", () => fileFrom(goodText().replace(/^-> X25519 (.*)$/m, "-> X25519 a\tb"))],
    ["non-ASCII argument", () => fileFrom(`age-encryption.org/v1\n-> caf\u00e9\n\n${goodText().slice(22)}`)],
    [
      "body line longer than 64 columns",
      () => fileFrom(`age-encryption.org/v1\n-> unknown\n${"A".repeat(65)}\n\n${goodText().slice(22)}`),
    ],
    [
      "body ending on a full line",
      () => fileFrom(`age-encryption.org/v1\n-> unknown\n${"A".repeat(64)}\n${goodText().slice(22)}`),
    ],
    ["padded body", () => fileFrom(`age-encryption.org/v1\n-> unknown\nAA==\n${goodText().slice(22)}`)],
    [
      "non-canonical body (trailing bits)",
      () => fileFrom(`age-encryption.org/v1\n-> unknown\nAB\n${goodText().slice(22)}`),
    ],
    ["no stanzas", () => fileFrom("age-encryption.org/v1\n---")],
    ["unexpected line", () => fileFrom(goodText().replace("\n---", "\nhello\n---"))],
    [
      "MAC line without space",
      () => concat([fromLatin1(`${goodText()}${encodeBase64(bytes(32))}\n`), payload(b, PLAIN)]),
    ],
    [
      "MAC of 42 characters",
      () => concat([fromLatin1(`${goodText()} ${encodeBase64(bytes(32)).slice(1)}\n`), payload(b, PLAIN)]),
    ],
    [
      "MAC with padding",
      () => concat([fromLatin1(`${goodText()} ${encodeBase64(bytes(32))}=\n`), payload(b, PLAIN)]),
    ],
    [
      "MAC line with two spaces",
      () => concat([fromLatin1(`${goodText()}  ${encodeBase64(bytes(32))}\n`), payload(b, PLAIN)]),
    ],
    [
      "non-canonical MAC",
      () =>
        concat([fromLatin1(`${goodText()} ${encodeBase64(bytes(32)).slice(0, 42)}B\n`), payload(b, PLAIN)]),
    ],
    ["truncated header (no MAC line)", () => fromLatin1(goodText().slice(0, -3))],
    ["truncated header (partial magic)", () => fromLatin1("age-encr")],
    ["empty input", () => new Uint8Array(0)],
    ["missing payload nonce", () => fromLatin1(withMac(b, goodText()))],
    ["short payload nonce", () => concat([fromLatin1(withMac(b, goodText())), bytes(15)])],
    ["X25519 with one argument", () => fileFrom(goodText().replace(/^-> X25519 .*$/m, "-> X25519"))],
    ["X25519 with three arguments", () => fileFrom(goodText().replace(/^(-> X25519 .*)$/m, "$1 extra"))],
    [
      "X25519 share of 31 bytes",
      () => fileFrom(goodText().replace(/^-> X25519 .*$/m, `-> X25519 ${encodeBase64(bytes(31))}`)),
    ],
    ["X25519 share not canonical", () => fileFrom(goodText().replace(/^-> X25519 (.*).$/m, "-> X25519 $1B"))],
    [
      "X25519 low-order share (all-zero secret)",
      () => fileFrom(goodText().replace(/^-> X25519 .*$/m, `-> X25519 ${encodeBase64(new Uint8Array(32))}`)),
    ],
    [
      "mlkem768x25519 with wrong argument count",
      () =>
        fileFrom(
          `age-encryption.org/v1\n-> mlkem768x25519\n${encodeBase64(bytes(32))}\n${goodText().slice(22)}`,
        ),
    ],
    [
      "mlkem768x25519 enc of 1119 bytes",
      () =>
        fileFrom(
          `age-encryption.org/v1\n-> mlkem768x25519 ${encodeBase64(bytes(1119))}\n${encodeBase64(bytes(32))}\n${goodText().slice(22)}`,
        ),
    ],
  ];
  it.each(malformed)("rejects %s with ERR_AGE_HEADER", async (_n, make) => {
    await expectCode(() => decrypt(make(), opts), "ERR_AGE_HEADER");
  });

  it.each([31, 33])("rejects an X25519 body of %i bytes before any AEAD call", async (n) => {
    const s = { ...good(), body: bytes(n) };
    const spy = vi.spyOn(b, "open");
    await expectCode(() => decrypt(file(b, [s], PLAIN), opts), "ERR_AGE_HEADER");
    expect(spy).not.toHaveBeenCalled();
  });

  it("rejects an mlkem768x25519 body of 33 bytes before any AEAD call", async () => {
    const s = { type: "mlkem768x25519", args: [encodeBase64(bytes(1120))], body: bytes(33) };
    const spy = vi.spyOn(b, "open");
    await expectCode(() => decrypt(file(b, [good(), s], PLAIN), opts), "ERR_AGE_HEADER");
    expect(spy).not.toHaveBeenCalled();
  });

  it("ignores unknown stanza types, including lower-case x25519", async () => {
    const unknown = { type: "example.com/enigma", args: ["a", "b"], body: bytes(100) };
    const lower = { ...good(), type: "x25519" };
    expect(await decrypt(file(b, [unknown, lower, good()], PLAIN), opts)).toEqual(PLAIN);
    await expectCode(() => decrypt(file(b, [unknown, lower], PLAIN), opts), "ERR_AGE_NO_MATCH");
  });

  it("rejects a header MAC mismatch with ERR_AGE_HMAC after the key unwraps, releasing nothing", async () => {
    const f = file(b, [good()], PLAIN);
    const text = String.fromCharCode(...f.subarray(0, 200));
    const macAt = text.indexOf("--- ") + 4;
    const bad = f.slice();
    bad[macAt] = bad[macAt] === 0x41 ? 0x42 : 0x41;
    await expectCode(() => decrypt(bad, opts), "ERR_AGE_HMAC");
    // A stanza edit that keeps the key unwrappable also breaks the MAC.
    const extra = file(b, [good()], PLAIN);
    const withUnknown = fromLatin1(String.fromCharCode(...extra).replace("\n---", "\n-> added\n\n---"));
    await expectCode(() => decrypt(withUnknown, opts), "ERR_AGE_HMAC");
  });

  it("caps the header size and the stanza count", async () => {
    const big = `age-encryption.org/v1\n${"-> pad\n\n".repeat(Math.ceil(MAX_HEADER_BYTES / 8) + 1)}`;
    await expectCode(() => parseHeader(fromLatin1(big)), "ERR_AGE_HEADER");
    const many = `age-encryption.org/v1\n${"-> s\n\n".repeat(MAX_STANZAS + 1)}---`;
    await expectCode(() => parseHeader(fromLatin1(many)), "ERR_AGE_HEADER");
    // A long run of bytes without a newline is refused once past the cap, not buffered forever.
    await expectCode(() => parseHeader(new Uint8Array(MAX_HEADER_BYTES + 1).fill(0x61)), "ERR_AGE_HEADER");
  });

  it("returns null for a valid prefix and fails fast on a non-age prefix", () => {
    const t = fromLatin1(goodText());
    expect(parseHeader(t.subarray(0, 30))).toBeNull();
    expect(parseHeader(fromLatin1("age-encryption"))).toBeNull();
    expect(() => parseHeader(fromLatin1("agx"))).toThrow();
  });

  describe("scrypt", () => {
    const scryptStanza = (logN: string, salt = encodeBase64(bytes(16))) => ({
      type: "scrypt",
      args: [salt, logN],
      body: bytes(32),
    });
    const popts = { passphrase: "pw", backend: name };

    it.each(["23", "+18", "018", "0x12", "1e1", "0", "-1", "18.0", "99999999999999999999999"])(
      "rejects work factor %s without running scrypt",
      async (wf) => {
        const spy = vi.spyOn(b, "scrypt");
        await expectCode(() => decrypt(file(b, [scryptStanza(wf)], PLAIN), popts), "ERR_AGE_HEADER");
        expect(spy).not.toHaveBeenCalled();
      },
    );

    it("enforces a lowered cap and refuses a cap above 22", async () => {
      const spy = vi.spyOn(b, "scrypt");
      await expectCode(
        () => decrypt(file(b, [scryptStanza("10")], PLAIN), { ...popts, maxWorkFactor: 9 }),
        "ERR_AGE_HEADER",
      );
      expect(spy).not.toHaveBeenCalled();
      await expectCode(
        () => decrypt(file(b, [scryptStanza("10")], PLAIN), { ...popts, maxWorkFactor: 23 }),
        "ERR_AGE_USAGE",
      );
    });

    it("rejects two scrypt stanzas, or scrypt beside X25519, before running scrypt", async () => {
      const spy = vi.spyOn(b, "scrypt");
      await expectCode(
        () => decrypt(file(b, [scryptStanza("10"), scryptStanza("10")], PLAIN), popts),
        "ERR_AGE_HEADER",
      );
      await expectCode(
        () => decrypt(file(b, [good(), scryptStanza("10")], PLAIN), { ...popts, identities: [IDENTITY] }),
        "ERR_AGE_HEADER",
      );
      expect(spy).not.toHaveBeenCalled();
    });

    it.each([
      ["2 arguments", { type: "scrypt", args: [encodeBase64(bytes(16))], body: bytes(32) }],
      ["4 arguments", { type: "scrypt", args: [encodeBase64(bytes(16)), "10", "x"], body: bytes(32) }],
      ["15-byte salt", scryptStanza("10", encodeBase64(bytes(15)))],
      ["31-byte body", { ...scryptStanza("10"), body: bytes(31) }],
    ])("rejects an scrypt stanza with %s before running scrypt", async (_n, s) => {
      const spy = vi.spyOn(b, "scrypt");
      await expectCode(() => decrypt(file(b, [s], PLAIN), popts), "ERR_AGE_HEADER");
      expect(spy).not.toHaveBeenCalled();
    });

    it("a wrong passphrase is ERR_AGE_NO_MATCH; no passphrase says the file needs one", async () => {
      const { wrapScrypt } = await import("../src/recipients/scrypt.js");
      const s = await wrapScrypt(b, FILE_KEY, "right", 4);
      await expectCode(
        () => decrypt(file(b, [s], PLAIN), { passphrase: "wrong", backend: name }),
        "ERR_AGE_NO_MATCH",
      );
      const e = await expectCode(
        () => decrypt(file(b, [s], PLAIN), { identities: [IDENTITY], backend: name }),
        "ERR_AGE_NO_MATCH",
      );
      expect(e.message).toContain("passphrase");
      expect(await decrypt(file(b, [s], PLAIN), { passphrase: "right", backend: name })).toEqual(PLAIN);
    });
  });
});
