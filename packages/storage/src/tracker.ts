import { StorageError } from "./errors.js";

/** Who uses a mounted volume (upstream `MountInfo`). */
export interface MountInfo {
  AllocationID: string;
  ContainerID: string;
}

/**
 * Maps mount target paths to their users (upstream `VolumeTracker`). Node runs this on one thread, so
 * each call is atomic, which is what upstream's mutex gives.
 */
export class VolumeTracker {
  readonly #mounts = new Map<string, MountInfo>();

  /** Records a mount; an existing entry for the same path is overwritten. Empty strings are allowed. */
  trackMount(targetPath: string, allocationId: string, containerId: string): void {
    this.#mounts.set(targetPath, { AllocationID: allocationId, ContainerID: containerId });
  }

  /** Forgets a mount; a path that was never tracked is not an error. */
  untrackMount(targetPath: string): void {
    this.#mounts.delete(targetPath);
  }

  isMounted(targetPath: string): boolean {
    return this.#mounts.has(targetPath);
  }

  /**
   * The users of a mounted path.
   * @throws StorageError ERR_STORAGE_NOT_FOUND ("failed to find volume") when the path is not tracked
   */
  getMountInfo(targetPath: string): MountInfo {
    const info = this.#mounts.get(targetPath);
    if (!info) {
      throw new StorageError("ERR_STORAGE_NOT_FOUND", `failed to find volume mounted at ${targetPath}`);
    }
    return { ...info };
  }
}
