// encryptFile / decryptFile / encryptDirectory write through @dms/fs: what is at the target decides how.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptDirectory, extractDirectory } from "../src/archive/directory.js";
import { decryptFile, encryptFile } from "../src/fs/file.js";
import { generateIdentity, identityToRecipient } from "../src/recipients/keys.js";

const base = mkdtempSync(join(tmpdir(), "dms-file-out-"));
let identity: string;
let recipient: string;
const plain = join(base, "plain");
beforeAll(async () => {
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
  writeFileSync(plain, Buffer.alloc(200_000, 7));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe("file outputs", () => {
  it.skipIf(process.getuid?.() !== 0)(
    "decrypting to a character device writes into it and never replaces it",
    async () => {
      const enc = join(base, "dev.age");
      await encryptFile(plain, enc, { recipients: [recipient] });
      const dir = join(base, "devdir");
      mkdirSync(dir);
      const dev = join(dir, "null");
      expect(spawnSync("mknod", [dev, "c", "1", "3"]).status).toBe(0);
      await decryptFile(enc, dev, { identities: [identity] });
      await encryptFile(plain, dev, { recipients: [recipient] });
      expect(lstatSync(dev).isCharacterDevice()).toBe(true);
      expect(readdirSync(dir)).toEqual(["null"]);
    },
  );

  it("an existing 0600 target stays 0600, and a symlinked target stays a link", async () => {
    const enc = join(base, "keep.age");
    writeFileSync(enc, "old");
    chmodSync(enc, 0o600);
    await encryptFile(plain, enc, { recipients: [recipient], mode: 0o666 });
    expect(statSync(enc).mode & 0o777).toBe(0o600);
    const link = join(base, "link.out");
    symlinkSync(join(base, "real.out"), link);
    await decryptFile(enc, link, { identities: [identity] });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(base, "real.out")).equals(readFileSync(plain))).toBe(true);
  });

  it("a failure names the user's path, never a temp file", async () => {
    const target = join(base, "no-such-dir", "x.age");
    const err = (await encryptFile(plain, target, { recipients: [recipient] }).catch((e) => e)) as Error;
    expect(err.message).toContain(target);
    expect(err.message).not.toMatch(/\.tmp/);
    expect(err).toMatchObject({ code: "ERR_AGE_IO", errno: "ENOENT", path: target });
  });

  it("a directory archive written inside its own tree leaves itself and its temp out", async () => {
    const tree = join(base, "tree");
    mkdirSync(tree);
    writeFileSync(join(tree, "f"), "x");
    await encryptDirectory(tree, join(tree, "self.age"), { recipients: [recipient] });
    expect(readdirSync(tree).sort()).toEqual(["f", "self.age"]);
  });
});

describe("wrong argument types are TypeError naming the argument, before any I/O", () => {
  it.each([
    [
      "encryptFile(1, 2)",
      () => encryptFile(1 as unknown as string, 2 as unknown as string, { passphrase: "p" }),
      /src/,
    ],
    ["decryptFile(path, '')", () => decryptFile(plain, "", { passphrase: "p" }), /dst/],
    [
      "extractDirectory(123, ...)",
      () => extractDirectory(123 as unknown as string, base, { passphrase: "p" }),
      /src/,
    ],
    [
      "encryptDirectory(dir, 5)",
      () => encryptDirectory(base, 5 as unknown as string, { passphrase: "p" }),
      /dst/,
    ],
  ])("%s", async (_name, call, names) => {
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(names);
  });
});
