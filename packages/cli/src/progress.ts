import { isTerminal } from "./terminal.js";

/** A progress reporter the commands pass to the libraries' onProgress. */
export interface Progress {
  update(p: { bytes: number; total?: number }): void;
  done(): void;
}

/** Where the bar is drawn: stderr, or a stand-in in tests. */
export interface ProgressTarget {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

const DELAY_MS = 1000;
const REDRAW_MS = 100;

function human(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}

/**
 * A bar on stderr, drawn only when stderr is a terminal and only once the work has run over a second
 * (short jobs stay silent); `done()` clears the line. `total` is a fallback when the library does not
 * report one.
 */
export function progress(
  label: string,
  total?: number,
  io: { out?: ProgressTarget; now?: () => number } = {},
): Progress {
  // process.stderr is made only for a terminal: for a pipe it loads node:net (terminal.ts).
  const out = io.out ?? (isTerminal(2) ? process.stderr : undefined);
  const clock = io.now ?? Date.now;
  if (!out?.isTTY) return { update() {}, done() {} };
  const start = clock();
  let last = 0;
  let drawn = false;
  return {
    update({ bytes, total: t }) {
      const now = clock();
      if (now - start < DELAY_MS || now - last < REDRAW_MS) return;
      last = now;
      drawn = true;
      const all = t ?? total;
      const width = Math.max(10, Math.min(40, (out.columns ?? 80) - 40));
      let line: string;
      if (all !== undefined && all > 0) {
        const f = Math.min(1, bytes / all);
        const full = Math.round(f * width);
        line = `${label} [${"#".repeat(full)}${"-".repeat(width - full)}] ${Math.floor(f * 100)}% ${human(bytes)}`;
      } else {
        line = `${label} ${human(bytes)}`;
      }
      out.write(`\r\x1b[K${line}`);
    },
    done() {
      if (drawn) out.write("\r\x1b[K");
      drawn = false;
    },
  };
}
