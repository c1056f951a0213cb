// One table of bad inputs against the public functions: each gets its documented error.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bindMount,
  EncryptionType,
  type IDType,
  MemoryRepository,
  newVolume,
  openController,
  StorageError,
  type StorageVolume,
  type VolumeController,
  type VolumeSource,
  VolumeTracker,
} from "../src/index.js";
import { tempRoot } from "./support.js";

let root: string;
let c: VolumeController;
let vol: StorageVolume;

beforeAll(async () => {
  root = tempRoot();
  c = await openController({ root });
  vol = await c.createVolume("job");
});
afterAll(async () => {
  await c.close();
  rmSync(root, { recursive: true, force: true });
});

const missing = () => join(root, "missing");

const cases: [string, () => unknown, string | (new (...a: never[]) => Error)][] = [
  ["openController without root", () => openController({ root: "" }), TypeError],
  ["createVolume with an unknown source", () => c.createVolume("ftp" as VolumeSource), RangeError],
  ["lockVolume of a missing path", () => c.lockVolume(missing()), "ERR_STORAGE_NOT_FOUND"],
  ["lockVolume with a non-string path", () => c.lockVolume(42 as unknown as string), TypeError],
  ["verifyVolume of an unlocked volume", () => c.verifyVolume(vol.Path), "ERR_STORAGE_NOT_LOCKED"],
  ["verifyVolume of a missing path", () => c.verifyVolume(missing()), "ERR_STORAGE_NOT_FOUND"],
  [
    "deleteVolume with IDType 999",
    () => c.deleteVolume(vol.Path, 999 as IDType),
    "ERR_STORAGE_INVALID_ID_TYPE",
  ],
  ["deleteVolume of a missing CID", () => c.deleteVolume("nope", 2), "ERR_STORAGE_NOT_FOUND"],
  ["getSize with IDType Undefined", () => c.getSize(vol.Path, 0), "ERR_STORAGE_INVALID_ID_TYPE"],
  ["getSize with a non-string id", () => c.getSize(undefined as unknown as string, 1), TypeError],
  ["getVolume of a missing path", () => c.getVolume(missing(), 1), "ERR_STORAGE_NOT_FOUND"],
  ["encryptVolume without keys", () => c.encryptVolume(vol.Path, {}), TypeError],
  [
    "encryptVolume of a missing path",
    () => c.encryptVolume(missing(), { passphrase: "p" }),
    "ERR_STORAGE_NOT_FOUND",
  ],
  ["decryptVolume without keys", () => c.decryptVolume(vol.Path, { identities: [] }), TypeError],
  [
    "decryptVolume of plaintext",
    () => c.decryptVolume(vol.Path, { passphrase: "p" }),
    "ERR_STORAGE_NOT_ENCRYPTED",
  ],
  ["newVolume of an unknown type", () => newVolume("nfs"), "ERR_STORAGE_UNSUPPORTED_TYPE"],
  ["local mount with an empty target", () => newVolume("local").mount(""), "ERR_STORAGE_INVALID_MOUNT"],
  [
    "tracker lookup of an untracked path",
    () => new VolumeTracker().getMountInfo("/x"),
    "ERR_STORAGE_NOT_FOUND",
  ],
  ["bindMount to a relative target", () => bindMount(vol, "rel"), "ERR_STORAGE_INVALID_MOUNT"],
  [
    "bindMount of an encrypted volume",
    () => bindMount({ ...vol, EncryptionType: EncryptionType.Age }, "/data"),
    "ERR_STORAGE_ENCRYPTED",
  ],
  ["repository get of a missing id", () => new MemoryRepository().get("x"), "ERR_STORAGE_NOT_FOUND"],
];

describe("bad inputs", () => {
  it.each(cases)("%s", async (_name, fn, want) => {
    let err: unknown;
    try {
      await fn();
    } catch (e) {
      err = e;
    }
    if (typeof want === "string") {
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).code).toBe(want);
      expect((err as StorageError).name).toBe("StorageError");
      // Messages say what to do or what is missing, never only a code.
      expect((err as StorageError).message.length).toBeGreaterThan(10);
    } else {
      expect(err).toBeInstanceOf(want);
    }
  });
});
