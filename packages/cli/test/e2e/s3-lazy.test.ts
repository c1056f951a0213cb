// The CLI loads @dms/storage-s3 (and the AWS SDK) only for s3:// arguments. A module-resolution
// hook (registered with --import) logs every module that resolves into either; the log must stay
// empty for a local `dms encrypt`, and must not for an s3:// argument (so the hook does see them).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { dms, errorCode, keygen, tempDir } from "./helpers.js";

describe("@dms/storage-s3 is loaded only for s3:// arguments", () => {
  const t = tempDir("dms-cli-lazy-");
  afterAll(() => t.cleanup());
  const log = join(t.dir, "loaded.log");
  const hooks = join(t.dir, "hooks.mjs");
  const register = join(t.dir, "register.mjs");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (/storage-s3|@aws-sdk|@smithy/.test(r.url)) appendFileSync(${JSON.stringify(log)}, r.url + "\\n");
  return r;
}
`,
  );
  writeFileSync(
    register,
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  const env = { NODE_OPTIONS: `--import ${register}` };
  const loaded = () => {
    try {
      return readFileSync(log, "utf8");
    } catch {
      return "";
    }
  };

  it("a local encrypt and decrypt resolve nothing of it; an s3:// argument does", () => {
    const key = keygen(t.dir, "key.txt");
    writeFileSync(join(t.dir, "in.txt"), "local data\n");
    writeFileSync(log, "");
    const e = dms(["encrypt", "-r", key.recipient, "-o", join(t.dir, "in.age"), join(t.dir, "in.txt")], {
      env,
    });
    expect(e.status, e.stderr).toBe(0);
    const d = dms(["decrypt", "-i", key.path, join(t.dir, "in.age")], { env });
    expect(d.out).toBe("local data\n");
    expect(loaded()).toBe("");

    // A prefix where one object is needed is refused after the package loaded, before any request.
    const s = dms(["decrypt", "-i", key.path, "s3://some-bucket/"], { env });
    expect(errorCode(s.stderr)).toBe("ERR_DMS_USAGE");
    expect(loaded()).toContain("storage-s3");
  });
});
