// A second VolumeCipher for the journal tests, independent of @dms/crypto: plain tar, NOT encryption.
// Shared by worker.mjs (child processes) and the tests (parent), so both read each other's archives.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";

export const tarCipher = {
  async encryptDir(dir, archivePath) {
    execFileSync("tar", ["-cf", archivePath, "-C", dir, "."]);
  },
  async extractTo(archivePath, dir) {
    mkdirSync(dir);
    execFileSync("tar", ["-xf", archivePath, "-C", dir]);
  },
};
