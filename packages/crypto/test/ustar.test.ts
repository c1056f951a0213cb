// The tar header writer, read back by GNU tar (an independent implementation).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  BLOCK,
  END_OF_ARCHIVE_BYTES,
  encodeHeader,
  paddingAfter,
  type TarEntryHeader,
} from "../src/archive/ustar.js";
import { cleanup, tempDir } from "./fixtures/archive/helpers.js";

let base: string;
beforeEach(async () => {
  base = await tempDir();
});
afterEach(() => cleanup(base));

/** A whole archive of entries with the given content, listed by `tar -tv`. */
function gnuList(entries: [TarEntryHeader, string?][]): string[] {
  const parts: Uint8Array[] = [];
  for (const [h, body = ""] of entries) {
    parts.push(encodeHeader(h));
    const b = Buffer.from(body);
    parts.push(b, new Uint8Array(paddingAfter(b.length)));
  }
  parts.push(new Uint8Array(END_OF_ARCHIVE_BYTES));
  const file = join(base, "t.tar");
  writeFileSync(file, Buffer.concat(parts));
  return execFileSync("tar", ["-tvf", file, "--numeric-owner"], { encoding: "utf8" }).trim().split("\n");
}

const file = (name: string, size = 0): TarEntryHeader => ({
  name,
  type: "file",
  mode: 0o644,
  size,
  mtime: 0,
});

describe("ustar headers", () => {
  it("are read by GNU tar: type, mode, size, owner 0, mtime and name", () => {
    const [line] = gnuList([[{ ...file("dir/a.txt", 5), mode: 0o600, mtime: 1_700_000_000 }, "hello"]]);
    expect(line).toMatch(/^-rw------- 0\/0\s+5 2023-11-1\d \d\d:\d\d dir\/a\.txt$/);
    const lines = gnuList([
      [{ name: "d/", type: "directory", mode: 0o755, size: 0, mtime: 0 }],
      [{ name: "d/l", type: "symlink", mode: 0o777, size: 0, mtime: 0, linkname: "../t" }],
    ]);
    expect(lines[0]).toMatch(/^drwxr-xr-x 0\/0\s+0 .* d\/$/);
    expect(lines[1]).toMatch(/^lrwxrwxrwx 0\/0\s+0 .* d\/l -> \.\.\/t$/);
  });

  it("split a long path at a slash into prefix and name, with no pax record", () => {
    const name = `${"p".repeat(120)}/${"n".repeat(90)}`;
    expect(encodeHeader(file(name)).length).toBe(BLOCK);
    expect(gnuList([[file(name)]])[0]).toMatch(new RegExp(` ${name}$`));
  });

  it("carry paths and link targets that do not fit in pax records, UTF-8 included", () => {
    const long = `${"é".repeat(80)}/${"x".repeat(150)}`;
    const target = `../${"t".repeat(200)}`;
    expect(encodeHeader(file(long)).length).toBe(3 * BLOCK);
    const lines = gnuList([
      [file(long)],
      [{ name: "l", type: "symlink", mode: 0o777, size: 0, mtime: 0, linkname: target }],
    ]);
    expect(lines[0]?.endsWith(` ${long}`)).toBe(true);
    expect(lines[1]?.endsWith(` l -> ${target}`)).toBe(true);
  });

  it("put a size beyond 8 GiB - 1 in a pax record and 0 in the ustar field", () => {
    const h = encodeHeader(file("big", 9_000_000_000));
    const text = Buffer.from(h.subarray(BLOCK, 2 * BLOCK)).toString("latin1");
    expect(text.startsWith("19 size=9000000000\n")).toBe(true);
    const ustar = Buffer.from(h.subarray(2 * BLOCK, 3 * BLOCK)).toString("latin1");
    expect(ustar.slice(124, 135)).toBe("00000000000");
    expect(encodeHeader(file("fits", 8 ** 11 - 1)).length).toBe(BLOCK);
  });

  it("write pax records whose length prefix counts the whole record, across digit boundaries", () => {
    fc.assert(
      fc.property(fc.integer({ min: 101, max: 1200 }), (n) => {
        const h = encodeHeader(file("a".repeat(n)));
        const size = Number.parseInt(Buffer.from(h.subarray(124, 135)).toString("latin1"), 8);
        const record = Buffer.from(h.subarray(BLOCK, BLOCK + size)).toString("utf8");
        expect(Number.parseInt(record, 10)).toBe(Buffer.byteLength(record));
        expect(record).toBe(`${Buffer.byteLength(record)} path=${"a".repeat(n)}\n`);
      }),
    );
  });

  it("refuse sizes and times that are not non-negative integers", () => {
    expect(() => encodeHeader(file("x", -1))).toThrow(RangeError);
    expect(() => encodeHeader({ ...file("x"), mtime: 1.5 })).toThrow(RangeError);
  });
});
