// Shared helpers for the benchmarks: run a case as a child process under /usr/bin/time -v,
// take medians, format tables. Every case is a separate process so its peak RSS is its own.
import { spawn } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { closeSync, existsSync, openSync, writeSync } from "node:fs";

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
export const CHILD = new URL("./child.mjs", import.meta.url).pathname;
const TIME = "/usr/bin/time";

/**
 * Runs `cmd args` once. Wall time is measured here (so it includes process start-up, as it does
 * for `age` and `cp`); peak RSS comes from GNU time. A child may print `{"ms": n}` on its last
 * stdout line to report the time of the operation alone (used where start-up would dominate).
 */
export function runOnce(cmd, args, env = {}) {
  if (!existsSync(TIME)) throw new Error(`${TIME} is missing: apt-get install -y time`);
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const p = spawn(TIME, ["-v", cmd, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("error", reject);
    p.on("close", (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0)
        return reject(new Error(`${cmd} ${args.join(" ")} exited ${code}\n${err.slice(-2000)}`));
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
      const last = out.trim().split("\n").pop() ?? "";
      let inner;
      if (last.startsWith("{")) inner = JSON.parse(last).ms;
      resolve({ ms: inner ?? wallMs, wallMs, rssMiB: rss ? Number(rss[1]) / 1024 : Number.NaN });
    });
  });
}

export const sh = (script) => ["sh", ["-c", script]];
export const node = (...args) => [process.execPath, [CHILD, ...args]];

/** Runs a case `runs` times (after `before()` each time) and keeps the medians. */
export async function measure([cmd, args], runs, { env, before } = {}) {
  const ms = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    if (before) await before();
    const r = await runOnce(cmd, args, env);
    ms.push(r.ms);
    rss.push(r.rssMiB);
  }
  return { ms: median(ms), rssMiB: Math.max(...rss), all: ms };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Writes `bytes` of random data to `path` in 16 MiB blocks. */
export function randomFile(path, bytes) {
  const buf = Buffer.allocUnsafe(16 * MiB);
  const fd = openSync(path, "w");
  try {
    for (let left = bytes; left > 0; ) {
      const n = Math.min(left, buf.length);
      randomFillSync(buf, 0, n);
      writeSync(fd, buf, 0, n);
      left -= n;
    }
  } finally {
    closeSync(fd);
  }
}

export const fmtS = (ms) => (ms / 1000).toFixed(ms < 100 ? 4 : 2);
export const fmtX = (a, b) => (b ? (a / b).toFixed(2) : "");
export const fmtMiB = (x) => (Number.isFinite(x) ? x.toFixed(0) : "?");

/** A markdown table. */
export function table(head, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}
