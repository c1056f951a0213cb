// Whether a descriptor is a terminal, without loading node:tty (which loads node:net: ~5 ms of
// a short command) unless it may be one: only a character device can be.
import { fstatSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** True when `fd` is a terminal (what `tty.isatty` says), false when it is not or is closed. */
export function isTerminal(fd: number): boolean {
  try {
    // bigint: see throughFds in commands/encrypt.ts (a plain sync stat leaves state Node reuses).
    if (!fstatSync(fd, { bigint: true }).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return (require("node:tty") as typeof import("node:tty")).isatty(fd);
}
