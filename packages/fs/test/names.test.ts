// The name rules shared by the archive extractor (@dms/crypto) and the S3 download (@dms/storage-s3).
import { describe, expect, it } from "vitest";
import { hasBidiControl, hasControl, MAX_NAME_BYTES, nameBytes } from "../src/index.js";

describe("untrusted names", () => {
  it("finds C0, DEL and C1 controls, and nothing else", () => {
    for (const s of ["a\0b", "a\nb", "\t", "x\u001b[31m", "\u007f", "\u0085", "\u009f"]) {
      expect(hasControl(s), JSON.stringify(s)).toBe(true);
    }
    for (const s of ["plain.txt", "é ü ñ", "日本語", "a b", "\u00a0", "~!@#$%^&*()"]) {
      expect(hasControl(s), JSON.stringify(s)).toBe(false);
    }
  });

  it("finds bidirectional controls, which disguise a name", () => {
    for (const s of ["invoice\u202Efdp.exe", "\u2066x", "a\u200Fb", "\u061C"]) {
      expect(hasBidiControl(s), JSON.stringify(s)).toBe(true);
    }
    expect(hasBidiControl("שלום.txt")).toBe(false);
  });

  it("measures names in UTF-8 bytes against the 255-byte limit", () => {
    expect(MAX_NAME_BYTES).toBe(255);
    expect(nameBytes("abc")).toBe(3);
    expect(nameBytes("é")).toBe(2);
    expect(nameBytes("日")).toBe(3);
  });
});
