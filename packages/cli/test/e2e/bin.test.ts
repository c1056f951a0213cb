// The installed command is bin/dms.js run as a program: its shebang sets glibc's malloc tuning
// (see the comment there) for the node it starts. Checked on Linux, where /proc shows a
// process's environment.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
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
        if (cmd.includes("node") && !cmd.startsWith("/usr/bin/env")) {
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
});
