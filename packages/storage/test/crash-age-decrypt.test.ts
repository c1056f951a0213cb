// SIGKILL during decrypt with the real age cipher (@dms/crypto directory mode), 50 random kill points.
import { rmSync } from "node:fs";
import { generateIdentity, identityToRecipient } from "@dms/crypto";
import { afterAll, describe, expect, it } from "vitest";
import { ageCipher } from "../src/index.js";
import { crashTrials } from "./crash.js";
import { tempRoot } from "./support.js";

const root = tempRoot("dms-crash-age-");
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("SIGKILL during decrypt (age)", () => {
  it("50 random kills: every byte survives as plaintext or as an archive that decrypts to it", async () => {
    const identity = await generateIdentity();
    const setup = {
      root,
      cipher: ageCipher(),
      workerCipher: "age" as const,
      keys: { recipients: [await identityToRecipient(identity)] },
      ids: { identities: [identity] },
    };
    const stats = await crashTrials(setup, "decrypt", 50);
    console.log(`crash-age decrypt: ${JSON.stringify(stats)}`);
    // Kills landed on both sides of the point of no return.
    expect(stats.rolledBack).toBeGreaterThan(0);
    expect(stats.rolledForward).toBeGreaterThan(0);
  }, 120_000);
});
