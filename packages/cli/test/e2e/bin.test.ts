// The installed command is bin/dms.js run as a program: its sh header sets glibc's malloc tuning
// (see the comment there) for the node it starts. Checked on Linux, where /proc shows a
// process's environment; and through the shim pnpm writes into node_modules/.bin, which once
// failed on an `env -S VAR=...` shebang.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { bin, keygen, tempDir } from "./helpers.js";

describe.skipIf(process.platform !== "linux")("bin/dms.js as a program", () => {
  it("runs node with MALLOC_TOP_PAD_ and MALLOC_TRIM_THRESHOLD_ set", async () => {
    const t = tempDir("dms-cli-bin-");
    const key = keygen(t.dir, "key.txt");
    // decrypt with a key waits on its open standard input, which leaves time to read /proc.
    const p = spawn(bin, ["decrypt", "-i", key.path], { stdio: ["pipe", "ignore", "pipe"] });
    let environ = "";
    try {
      for (let i = 0; i < 200; i++) {
        const cmd = readFileSync(`/proc/${p.pid}/cmdline`, "utf8");
        if (basename(cmd.split("\0")[0] ?? "") === "node") {
          environ = readFileSync(`/proc/${p.pid}/environ`, "utf8");
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      p.stdin.end();
      await new Promise((r) => p.once("exit", r));
      t.cleanup();
    }
    const vars = environ.split("\0");
    expect(vars).toContain("MALLOC_TOP_PAD_=67108864");
    expect(vars).toContain("MALLOC_TRIM_THRESHOLD_=268435456");
  });

  // Node warns at start-up when it cannot load NODE_EXTRA_CA_CERTS: the warning shows whether the
  // node that ran still had the variable.
  it("drops NODE_EXTRA_CA_CERTS unless an argument is an s3:// URL", () => {
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: "/nonexistent/ca.pem" };
    const local = spawnSync(bin, ["--version"], { encoding: "utf8", env });
    expect(local.status).toBe(0);
    expect(local.stderr).toBe("");
    const s3 = spawnSync(bin, ["inspect", "s3://"], { encoding: "utf8", env });
    expect(s3.stderr).toMatch(/Ignoring extra certs from `\/nonexistent\/ca.pem`/);
    const plain = spawnSync(process.execPath, [bin, "--version"], { encoding: "utf8", env });
    expect(plain.stderr).toMatch(/Ignoring extra certs/);
  });

  // The workspace's own install: the root package depends on @dms/cli, so pnpm made this shim.
  const shim = new URL("../../../../node_modules/.bin/dms", import.meta.url).pathname;
  it.skipIf(!existsSync(shim))("runs through the shim pnpm writes into node_modules/.bin", () => {
    const r = spawnSync(shim, ["--version"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^v\d+\.\d+\.\d+/);
  });
});
