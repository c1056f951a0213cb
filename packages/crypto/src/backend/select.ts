import { nativeBackend } from "./native.js";
import { portableBackend } from "./portable.js";
import type { Backend, BackendName } from "./types.js";

export type { Backend, BackendName };

/** True when `node:crypto` can be reached without a static import (Node ≥ 20.16, Bun, Deno). */
export function hasNativeBackend(): boolean {
  return nativeBackend.available();
}

/**
 * Returns a backend by name; without a name, native where available and portable elsewhere.
 *
 * @throws RangeError for an unknown name; AgeError ERR_AGE_USAGE when "native" is asked for
 * where `node:crypto` is not available.
 */
export function getBackend(name?: BackendName): Backend {
  if (name === undefined) return nativeBackend.available() ? nativeBackend.get() : portableBackend;
  if (name === "portable") return portableBackend;
  if (name === "native") return nativeBackend.get();
  throw new RangeError(`backend: expected "native" or "portable", got ${JSON.stringify(name)}`);
}
