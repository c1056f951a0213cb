// Pulls are staged so that a volume appears only whole. The staging folder sits in the storage root,
// is named `.s3-pull-<pid>-<random>` (owner-only), and holds `content/` (what is being downloaded)
// and, once the volume record exists, `volume` (its path). A process killed at any point leaves at
// most this folder, and the volume it names if it had not been locked yet; sweepStalePulls removes
// both once the process is gone.
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { staleLeftovers } from "@dms/fs";
import { IDType, type StorageVolume, type VolumeController, VolumeSource } from "@dms/storage";

/** Staging folders live in the storage root and start with this; a killed pull leaves one behind. */
export const STAGING_PREFIX = ".s3-pull-";
const STAGING = /^\.s3-pull-(\d+)-[0-9a-f]{12}$/;
const MARKER = "volume";

/**
 * Removes what killed pulls left in the storage root: staging folders (by their name, owned by this
 * user, whose process is gone, untouched for `staleMs`) and a volume such a pull had created but
 * not locked yet. A volume the pull had locked is complete and is kept. Best effort; never throws.
 *
 * @returns the staging folder names removed.
 */
export async function sweepStalePulls(
  controller: VolumeController,
  o: { staleMs?: number | undefined } = {},
): Promise<string[]> {
  const removed: string[] = [];
  const stale = await staleLeftovers(controller.root, STAGING, { kind: "directory", staleMs: o.staleMs });
  for (const { name, path: dir } of stale) {
    try {
      const volPath = await readFile(join(dir, MARKER), "utf8").catch(() => undefined);
      if (volPath !== undefined) {
        const vol = (await controller.listVolumes()).find((v) => v.Path === volPath);
        if (vol !== undefined && !vol.ReadOnly) {
          await mkdir(vol.Path).catch(() => undefined);
          await controller.deleteVolume(vol.Path, IDType.Path);
        }
      }
      await rm(dir, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Gone already, busy, or not ours to remove.
    }
  }
  return removed;
}

/**
 * Runs `fill` on a fresh `content` folder in a new staging folder, then moves the content into a new
 * volume in one rename and locks it. On failure no volume and no staging folder remain.
 */
export async function stagedPull(
  controller: VolumeController,
  fill: (content: string) => Promise<void>,
  o: { create?: boolean } = {},
): Promise<StorageVolume> {
  await sweepStalePulls(controller);
  const staging = join(controller.root, `${STAGING_PREFIX}${process.pid}-${randomBytes(6).toString("hex")}`);
  await mkdir(staging, { mode: 0o700 });
  const content = join(staging, "content");
  let vol: StorageVolume | undefined;
  try {
    if (o.create !== false) await mkdir(content, { mode: 0o700 });
    await fill(content);
    vol = await controller.createVolume(VolumeSource.S3);
    await writeFile(join(staging, MARKER), vol.Path, { mode: 0o600 });
    // The content takes the volume folder's place (and mode) in one rename.
    await chmod(content, (await stat(vol.Path)).mode & 0o7777);
    await rmdir(vol.Path);
    await rename(content, vol.Path);
    const locked = await controller.lockVolume(vol.Path);
    vol = undefined;
    return locked;
  } finally {
    if (vol !== undefined) {
      // Between the rmdir and the rename the folder is missing; deleting needs it back.
      await mkdir(vol.Path).catch(() => undefined);
      await controller.deleteVolume(vol.Path, IDType.Path).catch(() => undefined);
    }
    await rm(staging, { recursive: true, force: true });
  }
}
