// Child process for crash.test.ts and race.test.ts: runs one job against the BUILT package (dist/), so
// the parent can SIGKILL it at any moment or race two of them on one root. Protocol on stdout, one line
// each: "ready", "phase <op>:<phase>", "done <json>", "error <code> <message>".
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

const job = JSON.parse(process.env.DMS_TEST_JOB ?? "{}");
const storage = await import("../../dist/index.js");
const { tarCipher } = await import("./tar-cipher.mjs");

const say = (line) => process.stdout.write(`${line}\n`);
// Read stdin only while holding: an open stdin would keep the worker alive after its job.
async function waitForLine() {
  const rl = createInterface({ input: process.stdin });
  await rl[Symbol.asyncIterator]().next();
  rl.close();
  process.stdin.destroy();
}

async function main() {
  if (job.op === "update") return hammerUpdates();
  // Loaded before "ready", so the kill window covers the operation rather than module loading.
  if (job.cipher === "age") await import("@dms/crypto");
  const cipher = job.cipher === "age" ? storage.ageCipher() : tarCipher;
  const c = await storage.openController({
    root: job.root,
    cipher,
    onProgress: async (e) => {
      say(`phase ${e.op}:${e.phase}`);
      // Widens the window right after a journal step, so kills land there often enough to test it.
      if (job.pause?.phase === `${e.op}:${e.phase}`) await new Promise((r) => setTimeout(r, job.pause.ms));
      if (job.hold === `${e.op}:${e.phase}`) {
        say("holding");
        await waitForLine();
      }
    },
  });
  say("ready");
  let out;
  switch (job.op) {
    case "encrypt":
      out = await c.encryptVolume(job.path, job.keys);
      break;
    case "decrypt":
      out = await c.decryptVolume(job.path, job.keys);
      break;
    case "churn":
      out = await churn(c);
      break;
    default:
      throw new Error(`unknown op ${job.op}`);
  }
  await c.close();
  say(`done ${JSON.stringify(out)}`);
}

// Creates, fills, locks and deletes its volumes, and also locks the other worker's unlocked ones, so
// both processes contend for the same records and leases. Expected refusals are counted, not fatal.
async function churn(c) {
  const kept = [];
  const refused = {};
  const tolerate = async (fn) => {
    try {
      await fn();
      return true;
    } catch (e) {
      if (!["ERR_STORAGE_BUSY", "ERR_STORAGE_NOT_FOUND"].includes(e.code)) throw e;
      refused[e.code] = (refused[e.code] ?? 0) + 1;
      return false;
    }
  };
  for (let i = 0; i < job.n; i++) {
    const v = await c.createVolume("job");
    writeFileSync(join(v.Path, "data.txt"), `${process.pid}:${i}`);
    kept.push(v.Path);
    // The other worker may have locked this volume before data.txt was written; lock it again (waiting
    // out its lease) so the stored manifest covers the file.
    while (!(await tolerate(() => c.lockVolume(v.Path)))) await new Promise((r) => setTimeout(r, 5));
    for (const other of await c.listVolumes()) {
      if (!other.ReadOnly) await tolerate(() => c.lockVolume(other.Path));
    }
    // A delete refused because the other worker holds the volume leaves it in place, and that is fine.
    if (i % 3 === 0 && (await tolerate(() => c.deleteVolume(v.Path, 1)))) kept.pop();
  }
  return { kept, refused };
}

// Updates one record as fast as it can, straight through the repository, so two workers interleave
// reads and writes on the same row; any error ends the worker with its code.
function hammerUpdates() {
  const repo = storage.SqliteRepository.open(job.db);
  for (let i = 0; i < job.n; i++) repo.update(job.id, { CID: `${process.pid}-${i}` });
  repo.close();
  say(`done ${JSON.stringify({ last: `${process.pid}-${job.n - 1}` })}`);
}

main().catch((e) => {
  const cause = e.cause ? ` [cause: ${e.cause.name} ${e.cause.code ?? ""} ${e.cause.message}]` : "";
  say(`error ${e.code ?? "UNKNOWN"} ${`${e.message}${cause}`.replaceAll("\n", " ")}`);
  process.exitCode = 1;
});
