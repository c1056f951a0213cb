// A command that encrypts or decrypts one file loads @dms/crypto's core (keys and the file engine)
// only: archives, stream adapters, random access and the worker pool are ~20 ms of start-up.
// The command runs from a bundle (scripts/bundle.mjs), so the test asks the bundle's metafile
// which chunks hold modules of those folders, and a module-resolution hook logs every such chunk
// that resolves: the log stays empty for files, and fills for a folder (so the hook does see them).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dms, keygen, resolveLog, tempDir } from "./helpers.js";

const meta = JSON.parse(readFileSync(new URL("../../dist/bundle/meta.json", import.meta.url), "utf8")) as {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
};
const heavy = Object.entries(meta.outputs)
  .filter(([, o]) =>
    Object.keys(o.inputs).some((i) => /crypto\/dist\/(archive|adapters|access|workers)\//.test(i)),
  )
  .map(([file]) => basename(file).replace(/[.]/g, "\\."));

describe("one file loads @dms/crypto's core only", () => {
  const t = tempDir("dms-cli-core-");
  afterAll(() => t.cleanup());
  const { env, loaded } = resolveLog(t.dir, new RegExp(`/dist/bundle/(${heavy.join("|")})$`));

  it("the bundle keeps archives, adapters, random access and workers in chunks of their own", () => {
    expect(heavy.length).toBeGreaterThan(0);
    expect(heavy.some((f) => f.startsWith("main"))).toBe(false);
  });

  it("encrypt, decrypt and keygen of a file resolve none of the rest; a folder does", () => {
    const key = keygen(t.dir, "key.txt");
    writeFileSync(join(t.dir, "in.txt"), "small file\n");
    const e = dms(["encrypt", "-r", key.recipient, "-o", join(t.dir, "in.age"), join(t.dir, "in.txt")], {
      env,
    });
    expect(e.status, e.stderr).toBe(0);
    const d = dms(["decrypt", "-i", key.path, join(t.dir, "in.age")], { env });
    expect(d.out).toBe("small file\n");
    const k = dms(["keygen"], { env });
    expect(k.status, k.stderr).toBe(0);
    expect(loaded()).toBe("");

    mkdirSync(join(t.dir, "folder"));
    writeFileSync(join(t.dir, "folder", "a.txt"), "a\n");
    const f = dms(["encrypt", "-r", key.recipient, "-o", join(t.dir, "f.age"), join(t.dir, "folder")], {
      env,
    });
    expect(f.status, f.stderr).toBe(0);
    expect(loaded()).not.toBe("");
  });
});

// Node's own modules count too: making process.stderr for a pipe loads net and tty (~5 ms), and
// the progress bar, the only user of stderr on success, needs it only on a terminal.
describe("a file command with stderr on a pipe", () => {
  const t = tempDir("dms-cli-builtins-");
  afterAll(() => t.cleanup());

  it("does not load Node's net module (stderr is never made into a stream)", () => {
    const list = join(t.dir, "modules.txt");
    const hook = join(t.dir, "hook.mjs");
    writeFileSync(
      hook,
      `import { writeFileSync } from "node:fs";\nprocess.on("exit", () => writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join("\\n")));\n`,
    );
    const key = keygen(t.dir, "key.txt");
    writeFileSync(join(t.dir, "in.txt"), "small file\n");
    const env = { NODE_OPTIONS: `--import=${hook}` };
    const e = dms(["encrypt", "-r", key.recipient, "-o", join(t.dir, "in.age"), join(t.dir, "in.txt")], {
      env,
    });
    expect(e.status, e.stderr).toBe(0);
    const modules = readFileSync(list, "utf8").split("\n");
    expect(modules).toContain("NativeModule internal/crypto/cipher");
    expect(modules).not.toContain("NativeModule net");
  });
});
