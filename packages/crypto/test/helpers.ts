import { closeSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { haveTool } from "../../../scripts/tools.mjs";
import { portableBackend } from "../src/backend/portable.js";
import { type Backend, type BackendName, getBackend, providePortableBackend } from "../src/backend/select.js";
import { AgeError, type AgeErrorCode } from "../src/errors.js";

/** Every test vector runs through both backends. */
export const BACKENDS: BackendName[] = ["native", "portable"];

// Tests of the primitives get both backends synchronously; the library itself loads the portable
// one on first request (test/e2e/import.test.ts checks that a plain import does not).
providePortableBackend(portableBackend);

export function backend(name: BackendName): Backend {
  return getBackend(name);
}

/** Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
export function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

/**
 * Asserts byte equality. Deep-equal on large typed arrays is very slow in vitest, so compare with
 * Buffer.compare and report only lengths and the first difference.
 */
export function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  if (Buffer.compare(actual, expected) === 0) return;
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  expect({ length: actual.length, firstDifferenceAt: i }).toEqual({
    length: expected.length,
    firstDifferenceAt: -1,
  });
}

/** A plain Uint8Array copy, so Buffer and Uint8Array results compare equal. */
export function u8(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}

export { concatBytes as concat } from "../src/format/bytes.js";

export const utf8 = new TextEncoder();
export const latin1 = (b: Uint8Array) => String.fromCharCode(...b);
export const fromLatin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** Asserts that `fn` rejects (or throws) an AgeError with `code`. */
export async function expectCode(fn: () => unknown, code: AgeErrorCode): Promise<AgeError> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(AgeError);
  expect((caught as AgeError).code).toBe(code);
  return caught as AgeError;
}

/** True when the reference `age` CLI is installed; skips visibly, or fails under DMS_REQUIRE_TOOLS=1. */
export function hasAgeCli(): boolean {
  return haveTool("age", "interop with the reference age CLI");
}

/**
 * Runs `fn` on descriptors of a file in `dir` holding `src` and of a new output file (or
 * `outPath`); returns what was written, also on failure, and the error.
 */
export async function betweenFiles(
  dir: string,
  src: Uint8Array,
  fn: (i: number, o: number) => Promise<void>,
  outPath = join(dir, "out"),
): Promise<{ out: Uint8Array; err: unknown }> {
  const inPath = join(dir, "in");
  writeFileSync(inPath, src);
  const i = openSync(inPath, "r");
  const o = openSync(outPath, "w");
  let err: unknown;
  try {
    await fn(i, o);
  } catch (e) {
    err = e;
  } finally {
    closeSync(i);
    closeSync(o);
  }
  return {
    out: outPath.startsWith("/dev/") ? new Uint8Array(0) : new Uint8Array(readFileSync(outPath)),
    err,
  };
}
