// Starts test/worker.mjs with a job and follows its line protocol.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const WORKER = fileURLToPath(new URL("./worker.mjs", import.meta.url));

export interface Worker {
  child: ChildProcess;
  /** Resolves with the first line starting with `prefix` (or rejects if the worker exits first). */
  waitFor(prefix: string): Promise<string>;
  /** Resolves with the final "done ..." or "error ..." line, or "killed" / "exit <code>". */
  result: Promise<string>;
  /** Resolves once the process has exited and been reaped. */
  exited: Promise<void>;
  send(line: string): void;
  /** SIGKILLs the worker and everything it started. */
  kill(): void;
}

export function startWorker(job: Record<string, unknown>): Worker {
  const child = spawn(process.execPath, [WORKER], {
    env: { ...process.env, DMS_TEST_JOB: JSON.stringify(job) },
    stdio: ["pipe", "pipe", "pipe"],
    // Its own process group, so kill() also takes down a `tar` the tar cipher runs: an orphaned tar
    // would go on writing while the parent recovers.
    detached: true,
  });
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (l: string) => void; reject: (e: Error) => void }[] = [];
  let buf = "";
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += String(d);
  });
  child.stdout?.on("data", (d) => {
    buf += String(d);
    let i = buf.indexOf("\n");
    while (i >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        if (line.startsWith(w.prefix)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
      i = buf.indexOf("\n");
    }
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const result = exited.then(() => {
    for (const w of waiters.splice(0)) {
      const how = child.signalCode ?? `code ${child.exitCode}`;
      w.reject(
        new Error(
          `worker exited (${how}) before "${w.prefix}"; stdout: ${lines.join(" | ")}; stderr: ${stderr}`,
        ),
      );
    }
    const last = [...lines].reverse().find((l) => l.startsWith("done") || l.startsWith("error"));
    if (last) return last;
    return child.signalCode === "SIGKILL" ? "killed" : `exit ${child.exitCode} ${stderr}`;
  });
  return {
    child,
    exited,
    result,
    waitFor(prefix) {
      const hit = lines.find((l) => l.startsWith(prefix));
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => waiters.push({ prefix, resolve, reject }));
    },
    kill() {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        process.kill(-child.pid, "SIGKILL");
      }
    },
    send(line) {
      child.stdin?.write(`${line}\n`);
    },
  };
}
