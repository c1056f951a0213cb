import { isAbsolute } from "node:path";
import { StorageError } from "./errors.js";
import {
  EncryptionType,
  type StorageVolume,
  type StorageVolumeExecutor,
  StorageVolumeTypeBind,
} from "./model.js";

/**
 * The bind-mount spec an executor needs to expose a volume at `target` inside a job. Read-only when the
 * volume is locked or `readOnly` is asked for.
 * @throws StorageError ERR_STORAGE_INVALID_MOUNT if `target` is not an absolute path,
 *   ERR_STORAGE_ENCRYPTED if the volume holds only its archive (decrypt it first)
 */
export function bindMount(vol: StorageVolume, target: string, readOnly = false): StorageVolumeExecutor {
  if (typeof target !== "string" || !isAbsolute(target)) {
    throw new StorageError(
      "ERR_STORAGE_INVALID_MOUNT",
      `mount target must be an absolute path inside the job; got ${JSON.stringify(target)}`,
    );
  }
  if (vol.EncryptionType !== EncryptionType.Null) {
    throw new StorageError(
      "ERR_STORAGE_ENCRYPTED",
      `volume ${vol.Path} is encrypted; decrypt it before mounting`,
    );
  }
  return { type: StorageVolumeTypeBind, source: vol.Path, target, readonly: vol.ReadOnly || readOnly };
}
