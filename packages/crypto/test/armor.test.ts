import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ARMOR_BEGIN, ARMOR_END, ArmorDecoder, armor, dearmor } from "../src/format/armor.js";
import { decrypt } from "../src/session/decrypt.js";
import { encrypt } from "../src/session/encrypt.js";
import { IDENTITY, RECIPIENT } from "./fixture.js";
import { bytes, expectBytes, expectCode, utf8 } from "./helpers.js";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("ASCII armor", () => {
  it("writes strict PEM: padded base64 at 64 columns, short last line, END with newline", () => {
    const a = text(armor(bytes(100)));
    const lines = a.split("\n");
    expect(lines[0]).toBe(ARMOR_BEGIN);
    expect(lines[1]).toHaveLength(64);
    expect(lines[2]).toHaveLength(64);
    expect(lines[3]).toBe(Buffer.from(bytes(100).subarray(96)).toString("base64"));
    expect(lines[4]).toBe(ARMOR_END);
    expect(lines[5]).toBe("");
    expect(a).toBe(
      `${ARMOR_BEGIN}\n${Buffer.from(bytes(100))
        .toString("base64")
        .replace(/(.{64})/g, "$1\n")}\n${ARMOR_END}\n`,
    );
  });

  it("round-trips random bytes through random push splits", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 500 }), fc.nat(), (b, cut) => {
        const a = armor(b);
        const d = new ArmorDecoder();
        const at = cut % (a.length + 1);
        const out = [d.push(a.subarray(0, at)), d.push(a.subarray(at))];
        d.finish();
        expectBytes(Buffer.concat(out), b);
      }),
    );
  });

  it("accepts CRLF line endings, surrounding whitespace, and an END line without newline", () => {
    const a = text(armor(bytes(70)));
    expectBytes(dearmor(utf8.encode(a.replace(/\n/g, "\r\n"))), bytes(70));
    expectBytes(dearmor(utf8.encode(`\n \t\r\n${a}\n\n  `)), bytes(70));
    expectBytes(dearmor(utf8.encode(a.slice(0, -1))), bytes(70));
  });

  const good = text(armor(bytes(100)));
  const [, l1, l2, l3] = good.split("\n") as [string, string, string, string];
  it.each([
    ["lowercase label", good.replace("AGE ENCRYPTED FILE", "age encrypted file")],
    ["other label", good.replace(/AGE ENCRYPTED FILE/g, "PGP MESSAGE")],
    ["garbage before", `junk\n${good}`],
    ["garbage after", `${good}junk\n`],
    ["armor header line", good.replace(`${ARMOR_BEGIN}\n`, `${ARMOR_BEGIN}\nVersion: 1\n\n`)],
    ["empty line inside", good.replace(`${l1}\n`, `${l1}\n\n`)],
    ["interior whitespace", good.replace(l2, `${l2.slice(0, 30)} ${l2.slice(31)}`)],
    [
      "short line before the last",
      good.replace(`${l1}\n${l2}\n`, `${l1.slice(0, 60)}\n${l1.slice(60)}${l2}\n`),
    ],
    ["line longer than 64", good.replace(`${l1}\n${l2}\n`, `${l1}${l2.slice(0, 4)}\n${l2.slice(4)}\n`)],
    ["missing padding", good.replace(l3, l3.replace(/=+$/, ""))],
    ["non-canonical padding bits", good.replace(l3, `${l3.slice(0, -3)}B==`)],
    ["PGP checksum line", good.replace(`\n${ARMOR_END}`, `\n=AAAA\n${ARMOR_END}`)],
    ["missing END", good.replace(`${ARMOR_END}\n`, "")],
    ["truncated END", good.replace(`${ARMOR_END}\n`, "-----END AGE")],
    ["BEGIN with spaces", good.replace(ARMOR_BEGIN, "----- BEGIN AGE ENCRYPTED FILE -----")],
    ["too much leading whitespace", `${" ".repeat(1100)}${good}`],
    ["non-ASCII byte", good.replace(l1, `${l1.slice(0, 63)}\u00e9`)],
  ])("rejects %s with ERR_AGE_ARMOR", async (_n, bad) => {
    await expectCode(() => dearmor(utf8.encode(bad)), "ERR_AGE_ARMOR");
  });

  it("is detected automatically on decrypt, and armor garbage is ERR_AGE_ARMOR", async () => {
    const ct = await encrypt(bytes(5000), { recipients: [RECIPIENT], armor: true });
    expect(text(ct).startsWith(`${ARMOR_BEGIN}\n`)).toBe(true);
    expectBytes(await decrypt(ct, { identities: [IDENTITY] }), bytes(5000));
    await expectCode(() => decrypt(utf8.encode(`${text(ct)}x`), { identities: [IDENTITY] }), "ERR_AGE_ARMOR");
    await expectCode(
      () => decrypt(utf8.encode("hello, not age"), { identities: [IDENTITY] }),
      "ERR_AGE_ARMOR",
    );
  });
});
