import { describe, expect, it } from "vitest";
import { isS3Url, isSingleObject, parseS3Url, parseSpec, S3Error } from "../src/index.js";
import { safeRelativePath } from "../src/params.js";

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof S3Error ? e.code : (e as Error).name;
  }
  return undefined;
}

describe("params", () => {
  it("reads upstream's params in any case", () => {
    expect(
      parseSpec({
        type: "s3",
        params: { BUCKET: "b", Key: "k/", filter: "*.csv", Region: "eu", ENDPOINT: "http://x" },
      }),
    ).toEqual({ bucket: "b", key: "k/", filter: "*.csv", region: "eu", endpoint: "http://x" });
  });
  it.each([
    [{ type: "ipfs", params: { bucket: "b" } }, "ERR_S3_PARAMS"],
    [{ type: "s3" }, "ERR_S3_PARAMS"],
    [{ type: "s3", params: {} }, "ERR_S3_PARAMS"],
    [{ type: "s3", params: { bucket: "" } }, "ERR_S3_PARAMS"],
    [{ type: "s3", params: { bucket: 3 } }, "ERR_S3_PARAMS"],
    [{ type: "s3", params: { bucket: "b", key: ["x"] } }, "ERR_S3_PARAMS"],
    [null, "TypeError"],
  ])("refuses %j with %s", (spec, want) => {
    expect(code(() => parseSpec(spec as never))).toBe(want);
  });
  it("refuses keys that cannot be a path in the volume: traversal, control and bidi characters, names over 255 bytes", () => {
    expect(safeRelativePath("a/b c/d.txt", "b")).toBe("a/b c/d.txt");
    expect(safeRelativePath(`d/${"é".repeat(127)}`, "b")).toBe(`d/${"é".repeat(127)}`); // 254 bytes
    for (const k of [
      "../x",
      "a/../../x",
      "/abs",
      "a//b",
      "./y",
      "a\\b",
      "a\0b",
      "",
      `d/${"x".repeat(256)}`,
      `${"é".repeat(128)}/f`,
      "a\nb",
      "x/\u001b[31mred",
      "invoice\u202Efdp.exe",
    ]) {
      expect(
        code(() => safeRelativePath(k, "b")),
        JSON.stringify(k),
      ).toBe("ERR_S3_UNSAFE_KEY");
    }
  });

  it("parses s3:// URLs", () => {
    expect(parseS3Url("s3://b/a/b.age")).toEqual({ bucket: "b", key: "a/b.age" });
    expect(parseS3Url("S3://b")).toEqual({ bucket: "b", key: "" });
    expect(isS3Url("s3://x")).toBe(true);
    expect(isS3Url("./s3://x")).toBe(false);
    expect(code(() => parseS3Url("s3:///k"))).toBe("ERR_S3_PARAMS");
    expect(code(() => parseS3Url("http://b/k"))).toBe("ERR_S3_PARAMS");
  });
  it("tells one object from a prefix as upstream does", () => {
    expect(isSingleObject("a/b")).toBe(true);
    expect(isSingleObject("a/")).toBe(false);
    expect(isSingleObject("a/*.csv")).toBe(false);
    expect(isSingleObject("")).toBe(false);
  });
});
