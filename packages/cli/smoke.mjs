// Run by scripts/pack-check.mjs in an empty folder where only the packed tarballs are installed:
// imports @dms/cli by name and runs its main() to generate a key file.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "@dms/cli";

const dir = mkdtempSync(join(tmpdir(), "dms-cli-smoke-"));
try {
  const key = join(dir, "key.txt");
  const status = await main(["keygen", "-o", key]);
  const recipient = /# public key: (age1\S+)/.exec(readFileSync(key, "utf8"))?.[1];
  if (status !== 0 || !recipient) throw new Error(`dms keygen failed with status ${status}`);
  console.log(`ok: dms keygen wrote an identity for ${recipient.slice(0, 12)}...`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
