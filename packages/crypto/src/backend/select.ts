// Picks a backend. The portable one (noble ciphers and hashes, tweetnacl) is not imported here: on
// Node the native backend does everything by default, and loading noble cost every process
// ~10 ms of start-up. It is loaded on first request (loadBackend), or handed over up front by the
// portable entry, which imports it statically because in a browser it is the only backend.
import { nativeBackend } from "./native.js";
import type { Backend, BackendName } from "./types.js";

export type { Backend, BackendName };

let portable: Backend | undefined;

/** Registers the portable backend (the portable entry does this when it is imported). */
export function providePortableBackend(b: Backend): void {
  portable ??= b;
}

/**
 * Checks a backend name as given in options, before any work starts.
 *
 * @throws RangeError for an unknown name; AgeError ERR_AGE_USAGE when "native" is asked for
 * where `node:crypto` is not available.
 */
export function checkBackendName(name: BackendName | undefined): void {
  if (name !== undefined && name !== "native" && name !== "portable")
    throw new RangeError(`backend: expected "native" or "portable", got ${JSON.stringify(name)}`);
  if (name === "native") nativeBackend.get();
}

const wantsPortable = (name: BackendName | undefined) =>
  name === "portable" || (name === undefined && !nativeBackend.available());

/**
 * Returns a backend by name; without a name, native where available and portable elsewhere. The
 * portable backend must have been loaded by {@link loadBackend} or provided by the portable entry.
 *
 * @throws as {@link checkBackendName}; Error when the portable backend is not loaded yet.
 */
export function getBackend(name?: BackendName): Backend {
  checkBackendName(name);
  if (!wantsPortable(name)) return nativeBackend.get();
  if (portable === undefined)
    throw new Error('internal: the portable backend is not loaded; await loadBackend("portable") first');
  return portable;
}

/** {@link getBackend}, loading the portable backend first when it is the one asked for. */
export async function loadBackend(name?: BackendName): Promise<Backend> {
  checkBackendName(name);
  if (wantsPortable(name)) portable ??= (await import("./portable.js")).portableBackend;
  return getBackend(name);
}
