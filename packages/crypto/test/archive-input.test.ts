// What reaches the tar layer: compressed tars, things that are not tars, entries hidden after the end.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractDirectory } from "../src/archive/directory.js";
import { generateIdentity, identityToRecipient } from "../src/recipients/keys.js";
import { encrypt } from "../src/session/encrypt.js";

const base = mkdtempSync(join(tmpdir(), "dms-tar-in-"));
let identity: string;
let recipient: string;
let n = 0;
beforeAll(async () => {
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
  mkdirSync(join(base, "src", "a"), { recursive: true });
  writeFileSync(join(base, "src", "a", "f.txt"), "hello");
  mkdirSync(join(base, "src", "evil"));
  writeFileSync(join(base, "src", "evil", "x.sh"), "echo pwned");
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

async function extract(plain: Uint8Array): Promise<{ out: string; err: unknown }> {
  const file = join(base, `in-${n}.age`);
  const out = join(base, `out-${n++}`);
  writeFileSync(file, await encrypt(plain, { recipients: [recipient] }));
  const err = await extractDirectory(file, out, { identities: [identity] }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { out, err };
}
const tar = (...args: string[]) => execFileSync("tar", ["-c", "-C", join(base, "src"), ...args]);

describe("the tar layer's input", () => {
  it("extracts a gzip-compressed tar (tar -cz | age), as tar -x does", async () => {
    const { out, err } = await extract(gzipSync(tar("a")));
    expect(err).toBeUndefined();
    expect(readFileSync(join(out, "a", "f.txt"), "utf8")).toBe("hello");
  });

  it.each([
    ["xz", [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
    ["zstd", [0x28, 0xb5, 0x2f, 0xfd]],
    ["bzip2", [0x42, 0x5a, 0x68, 0x39]],
  ])("refuses a %s-compressed tar naming the compression, writing nothing", async (name, magic) => {
    const { out, err } = await extract(Uint8Array.from([...magic, ...Array(600).fill(7)]));
    expect(err).toMatchObject({ code: "ERR_ARCHIVE_NOT_TAR" });
    expect((err as Error).message).toContain(name);
    expect(existsSync(out)).toBe(false);
  });

  it("says a single encrypted file is not a tar (not 'operation aborted')", async () => {
    const { out, err } = await extract(new TextEncoder().encode("just one file's bytes\n".repeat(100)));
    expect(err).toMatchObject({ code: "ERR_ARCHIVE_NOT_TAR" });
    expect((err as Error).message).toMatch(/not a tar archive/);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses entries hidden after the end-of-archive marker, which tar -t does not list", async () => {
    const hidden = Buffer.concat([tar("a"), tar("evil")]);
    const listed = execFileSync("tar", ["-t"], { input: hidden, encoding: "utf8" });
    expect(listed).not.toContain("evil");
    const { out, err } = await extract(hidden);
    expect(err).toMatchObject({ code: "ERR_ARCHIVE_MALFORMED" });
    expect((err as Error).message).toMatch(/end-of-archive/);
    expect(existsSync(out)).toBe(false);
  });
});
