// What a killed pull leaves (a staging folder, maybe an unlocked volume it had created) and how the
// next pull's sweep removes it: only stale folders of dead processes, never a locked volume.
import { spawnSync } from "node:child_process";
import { existsSync, utimesSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IDType, openController, type VolumeController, VolumeSource } from "@dms/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STAGING_PREFIX, sweepStalePulls } from "../src/index.js";

describe("sweepStalePulls", () => {
  let tmp: string;
  let ctl: VolumeController;
  // The pid of a process that has exited.
  const dead = spawnSync(process.execPath, ["-e", ""]).pid as number;
  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), "dms-s3-sweep-"));
    ctl = await openController({ root: join(tmp, "root") });
  });
  afterAll(async () => {
    await ctl.close();
    await rm(tmp, { recursive: true, force: true });
  });

  async function staging(pid: number, hex: string, volume?: string, ageMs = 60_000): Promise<string> {
    const name = `${STAGING_PREFIX}${pid}-${hex}`;
    const dir = join(ctl.root, name);
    await mkdir(join(dir, "content"), { recursive: true, mode: 0o700 });
    if (volume !== undefined) await writeFile(join(dir, "volume"), volume);
    const t = new Date(Date.now() - ageMs);
    utimesSync(dir, t, t);
    return name;
  }

  it("removes a dead pull's staging folder and the unlocked volume it made; keeps locked, live and recent", async () => {
    const unlocked = await ctl.createVolume(VolumeSource.S3);
    const locked = await ctl.lockVolume((await ctl.createVolume(VolumeSource.S3)).Path);
    const a = await staging(dead, "aaaaaaaaaaaa", unlocked.Path);
    const b = await staging(dead, "bbbbbbbbbbbb", locked.Path);
    const live = await staging(process.ppid, "cccccccccccc");
    const recent = await staging(dead, "dddddddddddd", undefined, 0);
    const other = join(ctl.root, ".s3-pull-not-ours");
    await mkdir(other);
    utimesSync(other, new Date(0), new Date(0));

    expect((await sweepStalePulls(ctl)).sort()).toEqual([a, b]);
    const paths = (await ctl.listVolumes()).map((v) => v.Path);
    expect(paths).not.toContain(unlocked.Path);
    expect(existsSync(unlocked.Path)).toBe(false);
    expect(paths).toContain(locked.Path);
    for (const kept of [live, recent]) expect(existsSync(join(ctl.root, kept))).toBe(true);
    expect(existsSync(other)).toBe(true);
    await ctl.deleteVolume(locked.Path, IDType.Path);
  });
});
