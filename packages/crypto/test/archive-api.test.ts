import { mkdir, readdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpRangeSource } from "../src/access/range.js";
import { encryptDirectory, extractDirectory } from "../src/archive/index.js";
import { inspect, openEncrypted } from "../src/fs/access.js";
import { generateIdentity, identityToRecipient } from "../src/recipients/keys.js";
import { cleanup, tempDir } from "./fixtures/archive/helpers.js";

// Bad inputs against every public function of directory mode, random access and inspect.
let base: string;
let identity: string;
let recipient: string;
let archive: string;
beforeAll(async () => {
  base = await tempDir("dms-api-");
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
  await mkdir(join(base, "src"));
  await writeFile(join(base, "src", "f"), "x");
  archive = join(base, "ok.age");
  await encryptDirectory(join(base, "src"), archive, { recipients: [recipient] });
});
afterAll(async () => {
  await cleanup(base);
});

describe("bad inputs get their documented codes", () => {
  const cases: [string, () => Promise<unknown>, Record<string, unknown> | (new (...a: never[]) => Error)][] =
    [
      [
        "encryptDirectory: missing source",
        () => encryptDirectory(join(base, "nope"), join(base, "x1.age"), { recipients: [recipient] }),
        { code: "ERR_AGE_IO", errno: "ENOENT" },
      ],
      [
        "encryptDirectory: source is a file",
        () => encryptDirectory(join(base, "src", "f"), join(base, "x2.age"), { recipients: [recipient] }),
        { code: "ERR_AGE_IO", errno: "ENOTDIR" },
      ],
      [
        "encryptDirectory: destination folder missing",
        () => encryptDirectory(join(base, "src"), join(base, "no", "x.age"), { recipients: [recipient] }),
        { code: "ERR_AGE_IO", errno: "ENOENT" },
      ],
      [
        "encryptDirectory: bad recipient",
        () => encryptDirectory(join(base, "src"), join(base, "x3.age"), { recipients: ["age1nope"] }),
        { code: "ERR_AGE_KEY" },
      ],
      [
        "encryptDirectory: no recipients",
        () => encryptDirectory(join(base, "src"), join(base, "x4.age"), {}),
        { code: "ERR_AGE_USAGE" },
      ],
      [
        "extractDirectory: missing archive",
        () => extractDirectory(join(base, "nope.age"), join(base, "o1"), { identities: [identity] }),
        { code: "ERR_AGE_IO", errno: "ENOENT" },
      ],
      [
        "extractDirectory: target's parent missing",
        () => extractDirectory(archive, join(base, "no", "o"), { identities: [identity] }),
        { code: "ERR_AGE_IO", errno: "ENOENT" },
      ],
      [
        "extractDirectory: target is a file",
        () => extractDirectory(archive, join(base, "src", "f"), { identities: [identity] }),
        { code: "ERR_ARCHIVE_NOT_EMPTY" },
      ],
      [
        "extractDirectory: bad identity",
        () => extractDirectory(archive, join(base, "o2"), { identities: ["AGE-SECRET-KEY-1NOPE"] }),
        { code: "ERR_AGE_KEY" },
      ],
      [
        "extractDirectory: no identities",
        () => extractDirectory(archive, join(base, "o3"), {}),
        { code: "ERR_AGE_USAGE" },
      ],
      [
        "extractDirectory: not an age file",
        () => extractDirectory(join(base, "src", "f"), join(base, "o4"), { identities: [identity] }),
        { code: "ERR_AGE_ARMOR" },
      ],
      [
        "extractDirectory: negative cap",
        () => extractDirectory(archive, join(base, "o5"), { identities: [identity], maxTotalBytes: -5 }),
        RangeError,
      ],
      [
        "openEncrypted: missing path",
        () => openEncrypted(join(base, "nope.age"), { identities: [identity] }),
        { code: "ERR_AGE_IO", errno: "ENOENT" },
      ],
      ["openEncrypted: no identities", () => openEncrypted(archive, {}), { code: "ERR_AGE_USAGE" }],
      [
        "openEncrypted: not an age file",
        () => openEncrypted(join(base, "src", "f"), { identities: [identity] }),
        { code: "ERR_AGE_ARMOR" },
      ],
      [
        "openEncrypted: unreachable HTTP server",
        () => openEncrypted(httpRangeSource("http://127.0.0.1:1/x.age"), { identities: [identity] }),
        { code: "ERR_AGE_IO" },
      ],
      [
        "inspect: missing path",
        () => inspect(join(base, "nope.age")),
        { code: "ERR_AGE_IO", errno: "ENOENT" },
      ],
      ["inspect: not a path or bytes", () => inspect(42 as unknown as string), TypeError],
    ];
  for (const [what, run, want] of cases) {
    it(what, async () => {
      const err = await run().then(
        () => null,
        (e) => e,
      );
      expect(err).not.toBeNull();
      if (typeof want === "function") expect(err).toBeInstanceOf(want);
      else expect(err).toMatchObject(want);
    });
  }

  it("nothing was left behind by the failures above", async () => {
    expect((await readdir(base)).sort()).toEqual(["ok.age", "src"]);
  });

  it("a target that is a symlink to an empty directory counts as occupied", async () => {
    const sub = join(base, "link-case");
    await mkdir(join(sub, "empty"), { recursive: true });
    await symlink("empty", join(sub, "l"));
    await expect(extractDirectory(archive, join(sub, "l"), { identities: [identity] })).rejects.toMatchObject(
      { code: "ERR_ARCHIVE_NOT_EMPTY" },
    );
    expect((await readdir(sub)).sort()).toEqual(["empty", "l"]);
  });
});
