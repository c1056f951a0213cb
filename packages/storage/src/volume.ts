import { execFile } from "node:child_process";
import { join, posix } from "node:path";
import { promisify } from "node:util";
import { StorageError } from "./errors.js";

/** How to attach a volume to a host folder (upstream `types.VolumeConfig`, same JSON keys). */
export interface VolumeConfig {
  type: string;
  mount_destination: string;
  read_only: boolean;
  name: string;
  servers: string[];
  client_private_key: string;
  client_pem: string;
  client_ca: string;
  src?: string | undefined;
}

/** Attaches and detaches a volume (upstream `types.Mounter`). */
export interface Mounter {
  mount(target: string, opts?: Record<string, string>): Promise<void>;
  unmount(target: string): Promise<void>;
}

function requireTarget(target: string): void {
  if (typeof target !== "string" || target === "") {
    throw new StorageError(
      "ERR_STORAGE_INVALID_MOUNT",
      "target path cannot be empty; pass the folder to mount on",
    );
  }
}

/** A volume that already lives on the local filesystem: nothing to attach (upstream `LocalFS`). */
export class LocalVolume implements Mounter {
  /** @throws StorageError ERR_STORAGE_INVALID_MOUNT when `target` is empty */
  async mount(target: string): Promise<void> {
    requireTarget(target);
  }

  async unmount(_target: string): Promise<void> {}
}

/**
 * The `mount` arguments for a GlusterFS volume: the first server holds the volfile, the others are
 * backups; `opts` become `-o key=value` (a value of "" gives a bare flag).
 * @throws StorageError ERR_STORAGE_INVALID_MOUNT for an empty target, no servers, no name, or TLS fields
 */
export function glusterMountArgs(
  config: VolumeConfig,
  target: string,
  opts: Record<string, string> = {},
): string[] {
  requireTarget(target);
  const servers = config.servers ?? [];
  if (servers.length === 0 || servers.some((s) => s === "")) {
    throw new StorageError(
      "ERR_STORAGE_INVALID_MOUNT",
      "glusterfs volume needs at least one server in `servers`",
    );
  }
  if (!config.name) {
    throw new StorageError("ERR_STORAGE_INVALID_MOUNT", "glusterfs volume needs the gluster volume `name`");
  }
  if (config.client_private_key || config.client_pem || config.client_ca) {
    throw new StorageError(
      "ERR_STORAGE_INVALID_MOUNT",
      "glusterfs TLS client certificates are not supported by this port yet; mount without them",
    );
  }
  const options = Object.entries({
    ...opts,
    ...(config.read_only ? { ro: "" } : {}),
    ...(servers.length > 1 ? { "backup-volfile-servers": servers.slice(1).join(":") } : {}),
  }).map(([k, v]) => (v === "" ? k : `${k}=${v}`));
  const args = ["-t", "glusterfs"];
  if (options.length > 0) args.push("-o", options.join(","));
  args.push(`${servers[0]}:/${config.name}`, target);
  return args;
}

/** A GlusterFS volume, attached with the system `mount` command (needs root and the glusterfs client). */
export class GlusterVolume implements Mounter {
  readonly #config: VolumeConfig;

  constructor(config: VolumeConfig) {
    this.#config = config;
  }

  /** @throws StorageError ERR_STORAGE_INVALID_MOUNT (see glusterMountArgs), ERR_STORAGE_IO if mount fails */
  async mount(target: string, opts: Record<string, string> = {}): Promise<void> {
    await run("mount", glusterMountArgs(this.#config, target, opts), target);
  }

  /** @throws StorageError ERR_STORAGE_INVALID_MOUNT for an empty target, ERR_STORAGE_IO if umount fails */
  async unmount(target: string): Promise<void> {
    requireTarget(target);
    await run("umount", [target], target);
  }
}

async function run(cmd: string, args: string[], path: string): Promise<void> {
  try {
    await promisify(execFile)(cmd, args);
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? "").trim();
    throw new StorageError(
      "ERR_STORAGE_IO",
      `${cmd} failed${stderr ? `: ${stderr}` : ""}; check the server`,
      {
        cause: e,
        syscall: cmd,
        path,
      },
    );
  }
}

/**
 * A mounter for a storage type (upstream `volume.New`): "glusterfs" or "local".
 * @throws StorageError ERR_STORAGE_UNSUPPORTED_TYPE ("unsupported storage type: X") for any other type
 */
export function newVolume(type: string, config?: VolumeConfig): Mounter {
  if (type === "local") return new LocalVolume();
  if (type === "glusterfs") return new GlusterVolume(config ?? emptyConfig(type));
  throw new StorageError(
    "ERR_STORAGE_UNSUPPORTED_TYPE",
    `unsupported storage type: ${type}; use "local" or "glusterfs"`,
  );
}

function emptyConfig(type: string): VolumeConfig {
  return {
    type,
    mount_destination: "",
    read_only: false,
    name: "",
    servers: [],
    client_private_key: "",
    client_pem: "",
    client_ca: "",
  };
}

/**
 * The host folder name for a volume (upstream `DirName`): `src` without "/" as is; a path is cleaned,
 * stripped of its leading "/" and its "/" replaced by "_"; no `src` gives `name`; neither gives "".
 */
export function dirName(v: Pick<VolumeConfig, "name"> & { src?: string }): string {
  const src = v.src ?? "";
  if (src === "") return v.name ?? "";
  if (!src.includes("/")) return src;
  let clean = posix.normalize(src);
  if (clean.length > 1 && clean.endsWith("/")) clean = clean.slice(0, -1);
  if (clean.startsWith("/")) clean = clean.slice(1);
  return clean.replaceAll("/", "_");
}

/** `<workDir>/volumes/<owner>/<dirName(v)>` (upstream `HostPath`). */
export function hostPath(
  workDir: string,
  owner: string,
  v: Pick<VolumeConfig, "name"> & { src?: string },
): string {
  return join(workDir, "volumes", owner, dirName(v));
}
