import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The storage root the CLI uses: `DMS_STORAGE_ROOT` when set and not blank, else `~/.dms/volumes`.
 * Reads `env` at call time.
 */
export function defaultStorageRoot(env: Record<string, string | undefined> = process.env): string {
  const v = env.DMS_STORAGE_ROOT;
  return v !== undefined && v.trim() !== "" ? v : join(homedir(), ".dms", "volumes");
}
