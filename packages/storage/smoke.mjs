// Installed-alone check (scripts/pack-check.mjs): import by name, create and list a volume on a temp root.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openController, VolumeSource } from "@dms/storage";

const root = mkdtempSync(join(tmpdir(), "dms-storage-smoke-"));
try {
  const c = await openController({ root });
  const v = await c.createVolume(VolumeSource.Job);
  const list = await c.listVolumes();
  await c.close();
  if (list.length !== 1 || list[0].ID !== v.ID) throw new Error("created volume not listed");
  console.log(`ok: created and listed ${v.Path.slice(root.length + 1)}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
