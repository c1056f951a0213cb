// Vitest global setup for the packages whose tests run built code (child processes, worker threads,
// and @dms/* imports that resolve to dist/): builds the package and the workspace packages it depends
// on, through turbo (its cache makes this about a second when nothing changed), so that
// `pnpm --filter @dms/storage test` or `npx vitest` works on a fresh clone without a separate build.
// Under `turbo run test` (npm test) the build task has already run, and turbo sets TURBO_HASH.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pnpm } from "./pnpm.mjs";

export default function setup(project) {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: turbo sets it for its own tasks; not an input.
  if (process.env.TURBO_HASH) return;
  const dir = project?.config?.root ?? process.cwd();
  const name = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).name;
  const status = pnpm(["exec", "turbo", "run", "build", `--filter=${name}`, "--output-logs=errors-only"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (status !== 0)
    throw new Error(`building ${name} and its workspace dependencies failed (exit ${status})`);
}
