import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "@dms/fs";

const dir = mkdtempSync(join(tmpdir(), "dms-fs-smoke-"));
await writeFileAtomic(join(dir, "f"), "hello");
const ok = readFileSync(join(dir, "f"), "utf8") === "hello";
rmSync(dir, { recursive: true });
if (!ok) process.exit(1);
console.log("ok: writeFileAtomic");
