// SIGKILL trials: a worker process encrypts or decrypts a small volume and is killed at a random moment;
// reopening the controller must leave every byte of the original tree, as plaintext or as an archive
// that decrypts to it. Used by crash-*.test.ts, one file per cipher.
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { generateIdentity, identityToRecipient } from "@dms/crypto";
import { afterAll, describe, expect, it } from "vitest";
import {
  ARCHIVE_NAME,
  ageCipher,
  type DecryptKeys,
  EncryptionType,
  type EncryptKeys,
  IDType,
  openController,
  TMP_DIR,
  type VolumeCipher,
  VolumeSource,
} from "../../src/index.js";
import { bytes, tempRoot, treeHash, writeTree } from "../support.js";
import { startWorker } from "./spawn.js";

export interface CrashSetup {
  root: string;
  cipher: VolumeCipher;
  /** Name of the same cipher inside worker.mjs. */
  workerCipher: "age" | "tar";
  keys: EncryptKeys;
  ids: DecryptKeys;
}

export interface CrashStats {
  trials: number;
  completed: number;
  rolledBack: number;
  rolledForward: number;
  nothingToRecover: number;
}

function tree(seed: number) {
  // A few files, two of them over the 64 KiB age chunk size, one nested.
  return {
    "params.json": `{"seed":${seed}}`,
    "big.bin": bytes(65_536 + 1 + (seed % 5000), seed + 1),
    "data/more.bin": bytes(70_000, seed + 2),
    "data/notes.txt": "notes\n",
    "data/empty": null,
  };
}

const PHASES = { encrypt: ["writing", "archived"], decrypt: ["extracting", "extracted"] } as const;
const PAUSE_MS = 50;

/** When to kill: `delay` ms after the worker prints the line starting with `after`. */
interface Kill {
  after: string;
  delay: number;
  pause?: { phase: string; ms: number };
}

async function runOnce(s: CrashSetup, op: "encrypt" | "decrypt", seed: number, kill: Kill | null) {
  const c = await openController({ root: s.root, cipher: s.cipher });
  const v = await c.createVolume(VolumeSource.Job);
  writeTree(v.Path, tree(seed));
  const original = await treeHash(v.Path);
  if (op === "decrypt") await c.encryptVolume(v.Path, s.keys);
  await c.close();

  const keys = op === "encrypt" ? s.keys : s.ids;
  const w = startWorker({ root: s.root, op, path: v.Path, keys, cipher: s.workerCipher, pause: kill?.pause });
  await w.waitFor("ready");
  const t0 = performance.now();
  if (kill !== null) {
    // If the worker finishes before the line appears, there is nothing left to kill.
    const seen = await Promise.race([w.waitFor(kill.after).then(() => true), w.result.then(() => false)]);
    if (seen) {
      await new Promise((r) => setTimeout(r, kill.delay));
      w.kill();
    }
  }
  const result = await w.result;
  const elapsed = performance.now() - t0;

  const after = await openController({ root: s.root, cipher: s.cipher });
  expect(after.recovered.filter((r) => r.outcome === "failed" || r.outcome === "busy")).toEqual([]);
  const rec = await after.getVolume(v.Path, IDType.Path);
  if (rec.EncryptionType === EncryptionType.Age) {
    expect(readdirSync(v.Path)).toEqual([ARCHIVE_NAME]);
    await after.decryptVolume(v.Path, s.ids);
  }
  expect(await treeHash(v.Path)).toBe(original);
  const tmp = join(s.root, TMP_DIR);
  expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);
  const recovered = after.recovered.map((r) => r.outcome);
  await after.deleteVolume(v.Path, IDType.Path);
  await after.close();
  return { result, elapsed, recovered };
}

/**
 * Runs `trials` kills of `op`. A third are killed at a random moment of the whole run, a third at a random
 * moment after the first journal step, and a third after the second step, where the worker pauses briefly
 * so that kills also land between the step and the removal of the old form.
 */
export async function crashTrials(
  s: CrashSetup,
  op: "encrypt" | "decrypt",
  trials: number,
): Promise<CrashStats> {
  const calib = await runOnce(s, op, 0, null);
  expect(calib.result).toMatch(/^done /);
  const span = Math.max(calib.elapsed * 1.3, 5);
  const stats: CrashStats = { trials, completed: 0, rolledBack: 0, rolledForward: 0, nothingToRecover: 0 };
  for (let i = 1; i <= trials; i++) {
    const [first, second] = PHASES[op];
    const kill: Kill =
      i % 3 === 0
        ? { after: "ready", delay: Math.random() * span }
        : i % 3 === 1
          ? { after: `phase ${op}:${first}`, delay: Math.random() * span }
          : {
              after: `phase ${op}:${second}`,
              delay: Math.random() * (PAUSE_MS + span * 0.3),
              pause: { phase: `${op}:${second}`, ms: PAUSE_MS },
            };
    const r = await runOnce(s, op, i, kill);
    if (r.result.startsWith("done")) stats.completed++;
    else expect(r.result).toBe("killed");
    if (r.recovered.includes("rolled-back")) stats.rolledBack++;
    else if (r.recovered.includes("rolled-forward")) stats.rolledForward++;
    else if (!r.result.startsWith("done")) stats.nothingToRecover++;
  }
  return stats;
}

/**
 * The age crash suite for one operation: 50 kills on a fresh root, with kills required on both sides of
 * the point of no return. One file per operation (crash-age-*.test.ts) so the two run in parallel.
 */
export function ageCrashSuite(op: "encrypt" | "decrypt"): void {
  const root = tempRoot("dms-crash-age-");
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  describe(`SIGKILL during ${op} (age)`, () => {
    it("50 random kills: every byte survives as plaintext or as an archive that decrypts to it", async () => {
      const identity = await generateIdentity();
      const setup: CrashSetup = {
        root,
        cipher: ageCipher(),
        workerCipher: "age",
        keys: { recipients: [await identityToRecipient(identity)] },
        ids: { identities: [identity] },
      };
      const stats = await crashTrials(setup, op, 50);
      console.log(`crash-age ${op}: ${JSON.stringify(stats)}`);
      expect(stats.rolledBack).toBeGreaterThan(0);
      expect(stats.rolledForward).toBeGreaterThan(0);
    }, 120_000);
  });
}
