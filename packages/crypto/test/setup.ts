// Runs before every test file: tests import the TypeScript sources, whose worker pool would look for
// a compiled worker beside them; the compiled one is in dist/ (built first by build-first.mjs).
import { setWorkerScript } from "../src/workers/pool.js";

setWorkerScript(new URL("../dist/workers/worker.js", import.meta.url));
