// Crash trials with the plain tar cipher: exercises the journal and recovery under real SIGKILLs
// independently of @dms/crypto (crash-age.test.ts runs the same trials with age).
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { tempRoot } from "../support.js";
import { crashTrials } from "./crash.js";
import { tarCipher } from "./tar-cipher.mjs";

const root = tempRoot("dms-crash-tar-");
afterAll(() => rmSync(root, { recursive: true, force: true }));
const setup = {
  root,
  cipher: tarCipher,
  workerCipher: "tar" as const,
  keys: { recipients: ["-"] },
  ids: { identities: ["-"] },
};

describe("SIGKILL during encrypt/decrypt (tar cipher)", () => {
  it.each(["encrypt", "decrypt"] as const)(
    "%s: 15 random kills, every byte survives",
    async (op) => {
      const stats = await crashTrials(setup, op, 15);
      console.log(`crash-tar ${op}: ${JSON.stringify(stats)}`);
      expect(stats.rolledBack + stats.rolledForward).toBeGreaterThan(0);
    },
    60_000,
  );
});
