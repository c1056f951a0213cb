import type * as RealCrypto from "@dms/crypto";
import type * as RealStorage from "@dms/storage";
import { describe, expect, it } from "vitest";
import type { CryptoApi, StorageApi } from "../src/lib.js";

// The CLI loads the libraries lazily through its own view of them (src/lib.ts). These assignments fail
// the typecheck when a library's API drifts from what the CLI calls.
export const cryptoView: (m: typeof RealCrypto) => CryptoApi = (m) => m;
export const storageView: (m: typeof RealStorage) => Omit<StorageApi, "ageCipher"> = (m) => m;

describe("the installed libraries have every function the CLI calls", () => {
  it("@dms/crypto", async () => {
    const m = (await import("@dms/crypto")) as unknown as Record<string, unknown>;
    const names = [
      "generateIdentity",
      "generateHybridIdentity",
      "identityToRecipient",
      "parseIdentities",
      "parseRecipients",
      "encryptNodeStream",
      "decryptNodeStream",
      "encryptFile",
      "decryptFile",
      "encryptDirectory",
      "extractDirectory",
      "openEncrypted",
      "inspect",
    ];
    expect(names.filter((n) => typeof m[n] !== "function")).toEqual([]);
  });

  it("@dms/storage", async () => {
    const m = (await import("@dms/storage")) as unknown as Record<string, unknown>;
    expect(typeof m.openController).toBe("function");
    expect(typeof m.defaultStorageRoot).toBe("function");
    expect(m.IDType).toMatchObject({ Path: 1, CID: 2 });
    expect(Object.values(m.VolumeSource as object)).toEqual(expect.arrayContaining(["job", "s3", "ipfs"]));
  });
});
