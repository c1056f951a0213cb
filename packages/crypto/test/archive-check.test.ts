import { existsSync } from "node:fs";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptDirectory, extractDirectory } from "../src/archive/directory.js";
import { AgeError } from "../src/errors.js";
import { generateIdentity, identityToRecipient } from "../src/recipients/keys.js";
import { cleanup, listTree, tempDir } from "./fixtures/archive/helpers.js";

// checkExtractable refuses at encryption exactly what extraction (with allowLinks) would refuse:
// each tree below is refused by both sides with the same code.

let base: string;
let identity: string;
let recipient: string;

beforeAll(async () => {
  base = await tempDir();
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
});
afterAll(async () => {
  await cleanup(base);
});

type Build = (root: string) => Promise<void>;
const trees: [string, string, Build][] = [
  [
    "names that differ only by case",
    "ERR_ARCHIVE_COLLISION",
    async (r) => {
      await writeFile(join(r, "Report.txt"), "1");
      await writeFile(join(r, "report.txt"), "2");
    },
  ],
  [
    "names that differ only by Unicode form",
    "ERR_ARCHIVE_COLLISION",
    async (r) => {
      await writeFile(join(r, "caf\u00e9"), "nfc");
      await writeFile(join(r, "cafe\u0301"), "nfd");
    },
  ],
  ["a control character in a name", "ERR_ARCHIVE_CONTROL_CHAR", (r) => writeFile(join(r, "a\u0007b"), "x")],
  ["a backslash in a name", "ERR_ARCHIVE_BACKSLASH", (r) => writeFile(join(r, "a\\b"), "x")],
  ["a link that leaves the tree", "ERR_ARCHIVE_LINK", (r) => symlink("../outside", join(r, "out"))],
  ["a link with an absolute target", "ERR_ARCHIVE_LINK", (r) => symlink("/etc/passwd", join(r, "abs"))],
];

describe("encryptDirectory({ checkExtractable })", () => {
  it.each(trees)("refuses %s with %s before writing anything", async (what, code, build) => {
    const src = join(base, `src-${code}-${what.length}`);
    await mkdir(src);
    await build(src);

    const checked = join(base, `checked-${what.length}.age`);
    const err = await encryptDirectory(src, checked, {
      recipients: [recipient],
      checkExtractable: true,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgeError);
    expect((err as AgeError).code).toBe(code);
    expect((err as AgeError).message).toMatch(/^cannot archive: archive entry .*rename or remove it$/);
    expect(existsSync(checked)).toBe(false);

    // Without the check the archive is written, and our extraction refuses it with the same code.
    const plain = join(base, `plain-${what.length}.age`);
    await encryptDirectory(src, plain, { recipients: [recipient] });
    const out = join(base, `out-${what.length}`);
    const refused = await extractDirectory(plain, out, { identities: [identity], allowLinks: true }).catch(
      (e: unknown) => e,
    );
    expect((refused as AgeError).code).toBe(code);
    expect(existsSync(out)).toBe(false);
  });

  it("passes a tree extraction accepts, links inside it included", async () => {
    const src = join(base, "clean");
    await mkdir(join(src, "d"), { recursive: true });
    await writeFile(join(src, "d/a.txt"), "a");
    await symlink("d/a.txt", join(src, "link"));
    const dst = join(base, "clean.age");
    await encryptDirectory(src, dst, { recipients: [recipient], checkExtractable: true });
    const out = join(base, "clean-out");
    await extractDirectory(dst, out, { identities: [identity], allowLinks: true });
    expect(await listTree(out)).toEqual(await listTree(src));
  });
});
