// The default cipher, age on @dms/crypto's directory mode, through the controller.
import { chmodSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { generateIdentity, identityToRecipient } from "@dms/crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ARCHIVE_NAME,
  ageCipher,
  EncryptionType,
  IDType,
  openController,
  TMP_DIR,
  type VolumeController,
  VolumeSource,
} from "../src/index.js";
import { bytes, codeOf, tempRoot, treeHash, writeTree } from "./support.js";

let root: string;
let c: VolumeController;
let identity: string;
let recipient: string;

beforeEach(async () => {
  root = tempRoot();
  c = await openController({ root });
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
});

afterEach(async () => {
  await c.close();
  rmSync(root, { recursive: true, force: true });
});

describe("age cipher (default)", () => {
  it("round trip keeps names, contents, links and the executable bit", async () => {
    const v = await c.createVolume(VolumeSource.Job);
    writeTree(v.Path, {
      "run.sh": "#!/bin/sh\necho hi\n",
      "data/big.bin": bytes(200_000, 3),
      "data/ünï cödé.txt": "unicode name",
      "data/empty": null,
      "link-to-run": { link: "run.sh" },
      "data/up": { link: "../run.sh" },
    });
    chmodSync(join(v.Path, "run.sh"), 0o755);
    const before = await treeHash(v.Path);
    const enc = await c.encryptVolume(v.Path, { recipients: [recipient] });
    expect(enc.EncryptionType).toBe(EncryptionType.Age);
    expect(readdirSync(v.Path)).toEqual([ARCHIVE_NAME]);
    expect(readFileSync(join(v.Path, ARCHIVE_NAME)).subarray(0, 21).toString()).toBe("age-encryption.org/v1");
    await c.decryptVolume(v.Path, { identities: [identity] });
    expect(await treeHash(v.Path)).toBe(before);
    expect(statSync(join(v.Path, "run.sh")).mode & 0o111).not.toBe(0);
  });

  it("a passphrase works too", async () => {
    const v = await c.createVolume(VolumeSource.Job);
    writeTree(v.Path, { "a.txt": "a" });
    await c.encryptVolume(v.Path, { passphrase: "correct horse battery staple" });
    expect(await codeOf(() => c.decryptVolume(v.Path, { passphrase: "wrong" }))).toBe("ERR_STORAGE_CIPHER");
    await c.decryptVolume(v.Path, { passphrase: "correct horse battery staple" });
    expect(readFileSync(join(v.Path, "a.txt"), "utf8")).toBe("a");
  }, 30_000);

  it("the wrong identity is ERR_STORAGE_CIPHER naming ERR_AGE_NO_MATCH; the archive stays", async () => {
    const v = await c.createVolume(VolumeSource.Job);
    writeTree(v.Path, { "a.txt": "a" });
    await c.encryptVolume(v.Path, { recipients: [recipient] });
    const err = await c.decryptVolume(v.Path, { identities: [await generateIdentity()] }).catch((e) => e);
    expect(err.code).toBe("ERR_STORAGE_CIPHER");
    expect(err.message).toMatch(/ERR_AGE_NO_MATCH; check the identities/);
    expect(err.cause.code).toBe("ERR_AGE_NO_MATCH");
    expect(readdirSync(v.Path)).toEqual([ARCHIVE_NAME]);
  });

  it("a malformed recipient is ERR_STORAGE_CIPHER and the plaintext stays", async () => {
    const v = await c.createVolume(VolumeSource.Job);
    writeTree(v.Path, { "a.txt": "a" });
    expect(await codeOf(() => c.encryptVolume(v.Path, { recipients: ["age1notakey"] }))).toBe(
      "ERR_STORAGE_CIPHER",
    );
    expect(readdirSync(v.Path)).toEqual(["a.txt"]);
  });

  it.each([
    ["names that differ only by case", { README: "1", readme: "2" }],
    ["a link with an absolute target", { l: { link: "/etc/passwd" } }],
    ["a link leaving the volume", { "d/l": { link: "../../x" } }],
    ["a name with a control character", { "bad\u0007name": "x" }],
  ])("refuses %s before encrypting (decryption would refuse it)", async (_what, spec) => {
    const v = await c.createVolume(VolumeSource.Job);
    writeTree(v.Path, spec);
    const before = await treeHash(v.Path);
    expect(await codeOf(() => c.encryptVolume(v.Path, { recipients: [recipient] }))).toBe(
      "ERR_STORAGE_UNSUPPORTED_ENTRY",
    );
    expect(await treeHash(v.Path)).toBe(before);
  });
});

describe("age cipher progress and abort", () => {
  const tree = { "a.bin": bytes(300_000, 1), "d/b.bin": bytes(150_000, 2), "d/c.txt": "small" };
  const total = 300_000 + 150_000 + 5;

  it("reports file bytes as it encrypts and decrypts", async () => {
    const seen: number[] = [];
    const pc = await openController({ root, cipher: ageCipher({ onProgress: (p) => seen.push(p.bytes) }) });
    try {
      const v = await pc.createVolume(VolumeSource.Job);
      writeTree(v.Path, tree);
      await pc.encryptVolume(v.Path, { recipients: [recipient] });
      expect(seen.length).toBeGreaterThan(1);
      expect(seen.at(-1)).toBe(total);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
      seen.length = 0;
      await pc.decryptVolume(v.Path, { identities: [identity] });
      expect(seen.at(-1)).toBe(total);
    } finally {
      await pc.close();
    }
  });

  it.each(["encrypt", "decrypt"] as const)(
    "an abort mid-%s is ERR_STORAGE_ABORTED and leaves the volume as it was",
    async (op) => {
      const v = await c.createVolume(VolumeSource.Job);
      writeTree(v.Path, tree);
      const plain = await treeHash(v.Path);
      if (op === "decrypt") await c.encryptVolume(v.Path, { recipients: [recipient] });
      const before = await treeHash(v.Path);
      const ac = new AbortController();
      // Aborts on the first progress report, so the cipher is stopped part-way through.
      const pc = await openController({
        root,
        cipher: ageCipher({ signal: ac.signal, onProgress: () => ac.abort() }),
      });
      try {
        const run = () =>
          op === "encrypt"
            ? pc.encryptVolume(v.Path, { recipients: [recipient] })
            : pc.decryptVolume(v.Path, { identities: [identity] });
        const err = await run().catch((e) => e);
        expect(err.code).toBe("ERR_STORAGE_ABORTED");
        expect(err.message).toMatch(/left as it was/);
        expect(await treeHash(v.Path)).toBe(before);
        const rec = await pc.getVolume(v.Path, IDType.Path);
        expect(rec.EncryptionType).toBe(op === "encrypt" ? EncryptionType.Null : EncryptionType.Age);
        expect(readdirSync(join(root, TMP_DIR))).toEqual([]);
      } finally {
        await pc.close();
      }
      // Nothing is left to recover, and the operation works when run again.
      const again = await openController({ root });
      expect(again.recovered).toEqual([]);
      if (op === "encrypt") await again.encryptVolume(v.Path, { recipients: [recipient] });
      await again.decryptVolume(v.Path, { identities: [identity] });
      expect(await treeHash(v.Path)).toBe(plain);
      await again.close();
    },
  );
});
