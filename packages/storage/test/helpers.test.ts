// Upstream "Volume helpers" cases (spec section 6), plus the mount spec and the storage root default.
import { homedir } from "node:os";
import { join } from "node:path";
import * as types from "@dms/types";
import { describe, expect, it } from "vitest";
import {
  bindMount,
  defaultStorageRoot,
  dirName,
  EncryptionType,
  GlusterVolume,
  glusterMountArgs,
  hostPath,
  LocalVolume,
  newVolume,
  StorageError,
  type StorageVolume,
  StorageVolumeTypeBind,
  type VolumeConfig,
  VolumeTracker,
} from "../src/index.js";
import { codeOf } from "./support.js";

const cfg = (over: Partial<VolumeConfig>): VolumeConfig => ({
  type: "glusterfs",
  mount_destination: "",
  read_only: false,
  name: "",
  servers: [],
  client_private_key: "",
  client_pem: "",
  client_ca: "",
  ...over,
});

describe("VolumeTracker", () => {
  it("re-tracking a path overwrites; empty path and IDs are allowed", () => {
    const t = new VolumeTracker();
    t.trackMount("/mnt/a", "alloc-1", "c-1");
    t.trackMount("/mnt/a", "alloc-2", "c-2");
    expect(t.getMountInfo("/mnt/a")).toEqual({ AllocationID: "alloc-2", ContainerID: "c-2" });
    t.trackMount("", "", "");
    expect(t.isMounted("")).toBe(true);
    expect(t.getMountInfo("")).toEqual({ AllocationID: "", ContainerID: "" });
  });

  it("after untrack, GetMountInfo fails with 'failed to find volume'; untracking twice is a no-op", () => {
    const t = new VolumeTracker();
    t.trackMount("/mnt/a", "alloc-1", "c-1");
    t.untrackMount("/mnt/a");
    t.untrackMount("/mnt/a");
    t.untrackMount("/never");
    expect(t.isMounted("/mnt/a")).toBe(false);
    expect(() => t.getMountInfo("/mnt/a")).toThrow("failed to find volume");
    expect(() => t.getMountInfo("/mnt/a")).toThrow(
      expect.objectContaining({ code: "ERR_STORAGE_NOT_FOUND" }),
    );
  });

  it("returns a copy, so callers cannot change the tracked entry", () => {
    const t = new VolumeTracker();
    t.trackMount("/m", "a", "c");
    t.getMountInfo("/m").AllocationID = "changed";
    expect(t.getMountInfo("/m").AllocationID).toBe("a");
  });
});

describe("dirName / hostPath", () => {
  it.each([
    [{ name: "my-gluster-vol" }, "my-gluster-vol"],
    [{ name: "", src: "my-data" }, "my-data"],
    [{ name: "", src: "/data/volume1" }, "data_volume1"],
    [{ name: "named", src: "/other/path" }, "other_path"],
    [{ name: "", src: "/a//b/../c/" }, "a_c"],
    [{ name: "" }, ""],
  ])("%j → %s", (v, want) => {
    expect(dirName(v)).toBe(want);
  });

  it("HostPath(W, alloc-1, {Src: my-data}) = W/volumes/alloc-1/my-data", () => {
    expect(hostPath("/work", "alloc-1", { name: "", src: "my-data" })).toBe("/work/volumes/alloc-1/my-data");
  });
});

describe("newVolume and mounters", () => {
  it("unsupported types are ERR_STORAGE_UNSUPPORTED_TYPE naming the type", () => {
    expect(() => newVolume("unsupported")).toThrow("unsupported storage type: unsupported");
    expect(() => newVolume("nfs")).toThrow(expect.objectContaining({ code: "ERR_STORAGE_UNSUPPORTED_TYPE" }));
  });

  it("local and glusterfs give their mounters", () => {
    expect(newVolume("local")).toBeInstanceOf(LocalVolume);
    expect(newVolume("glusterfs", cfg({ name: "v", servers: ["s1"] }))).toBeInstanceOf(GlusterVolume);
  });

  it("LocalFS: an empty target is refused, any other mount and unmount does nothing", async () => {
    const m = newVolume("local");
    expect(await codeOf(() => m.mount(""))).toBe("ERR_STORAGE_INVALID_MOUNT");
    await expect(m.mount("")).rejects.toThrow("target path cannot be empty");
    await expect(m.mount("/some/where")).resolves.toBeUndefined();
    await expect(m.unmount("/some/where")).resolves.toBeUndefined();
  });

  it("glusterfs mount arguments: first server holds the volfile, the rest are backups", () => {
    expect(
      glusterMountArgs(cfg({ name: "gv0", servers: ["s1", "s2", "s3"], read_only: true }), "/mnt/g"),
    ).toEqual(["-t", "glusterfs", "-o", "ro,backup-volfile-servers=s2:s3", "s1:/gv0", "/mnt/g"]);
    expect(glusterMountArgs(cfg({ name: "gv0", servers: ["s1"] }), "/mnt/g", { acl: "" })).toEqual([
      "-t",
      "glusterfs",
      "-o",
      "acl",
      "s1:/gv0",
      "/mnt/g",
    ]);
  });

  it.each([
    ["empty target", cfg({ name: "v", servers: ["s"] }), ""],
    ["no servers", cfg({ name: "v" }), "/m"],
    ["no name", cfg({ servers: ["s"] }), "/m"],
    ["TLS fields (not supported yet)", cfg({ name: "v", servers: ["s"], client_pem: "PEM" }), "/m"],
  ])("glusterfs refuses %s with ERR_STORAGE_INVALID_MOUNT", (_what, c, target) => {
    expect(() => glusterMountArgs(c, target)).toThrow(
      expect.objectContaining({ code: "ERR_STORAGE_INVALID_MOUNT" }),
    );
  });
});

describe("bindMount", () => {
  const vol: StorageVolume = {
    ID: "1",
    CreatedAt: "",
    UpdatedAt: "",
    CID: "",
    Path: "/root/v/job-abc",
    ReadOnly: false,
    Private: false,
    EncryptionType: EncryptionType.Null,
  };

  it("builds a bind spec, read-only when locked or asked", () => {
    expect(bindMount(vol, "/data")).toEqual({
      type: "bind",
      source: vol.Path,
      target: "/data",
      readonly: false,
    });
    expect(bindMount(vol, "/data", true).readonly).toBe(true);
    expect(bindMount({ ...vol, ReadOnly: true }, "/data").readonly).toBe(true);
  });

  it("refuses a relative target and an encrypted volume", () => {
    expect(() => bindMount(vol, "data")).toThrow(
      expect.objectContaining({ code: "ERR_STORAGE_INVALID_MOUNT" }),
    );
    expect(() => bindMount({ ...vol, EncryptionType: EncryptionType.Age }, "/data")).toThrow(StorageError);
  });
});

describe("values shared with @dms/types", () => {
  it("EncryptionType and StorageVolumeTypeBind are @dms/types' own (from its zod-free entry)", () => {
    expect(EncryptionType).toBe(types.EncryptionType);
    expect(StorageVolumeTypeBind).toBe(types.StorageVolumeTypeBind);
  });
});

describe("defaultStorageRoot", () => {
  it("uses DMS_STORAGE_ROOT when set and not blank, else ~/.dms/volumes", () => {
    expect(defaultStorageRoot({ DMS_STORAGE_ROOT: "/srv/vols" })).toBe("/srv/vols");
    expect(defaultStorageRoot({ DMS_STORAGE_ROOT: "   " })).toBe(join(homedir(), ".dms", "volumes"));
    expect(defaultStorageRoot({})).toBe(join(homedir(), ".dms", "volumes"));
  });
});
