// The CLI loads @dms/storage-s3 (and the AWS SDK) only for s3:// arguments. A module-resolution
// hook logs every module that resolves into either; the log must stay empty for a local
// `dms encrypt`, and must not for an s3:// argument (so the hook does see them).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dms, errorCode, keygen, resolveLog, tempDir } from "./helpers.js";

describe("@dms/storage-s3 is loaded only for s3:// arguments", () => {
  const t = tempDir("dms-cli-lazy-");
  afterAll(() => t.cleanup());
  const { env, loaded } = resolveLog(t.dir, /storage-s3|@aws-sdk|@smithy/);

  it("a local encrypt and decrypt resolve nothing of it; an s3:// argument does", () => {
    const key = keygen(t.dir, "key.txt");
    writeFileSync(join(t.dir, "in.txt"), "local data\n");
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
