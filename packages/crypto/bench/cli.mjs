// The dms command against the age CLI, whole processes (start-up included), runs alternated
// (age, dms, age, dms, ...) so drifting load hits both alike; a folder against `tar | age`. Needs a
// build of packages/cli.
import { execFileSync, spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTree } from "./dirs.mjs";
import { fmtMiB, fmtS, median, runOnce, sh, table } from "./util.mjs";

const DMS = new URL("../../cli/bin/dms.js", import.meta.url).pathname;

/**
 * One row: the same job done by age and by dms, `runs` times each, alternating; `reset` runs
 * before each run, outside its time.
 */
async function pair(label, ageCmd, dmsCmd, runs, reset = () => {}) {
  const a = { ms: [], rss: [] };
  const d = { ms: [], rss: [] };
  for (let i = 0; i < runs; i++) {
    for (const [cmd, into] of [
      [ageCmd, a],
      [dmsCmd, d],
    ]) {
      reset();
      const r = await runOnce(...sh(cmd));
      into.ms.push(r.ms);
      into.rss.push(r.rssMiB);
    }
  }
  const am = median(a.ms);
  const dm = median(d.ms);
  return [
    label,
    runs,
    fmtS(am),
    fmtS(dm),
    (am / dm).toFixed(2),
    fmtMiB(Math.max(...a.rss)),
    fmtMiB(Math.max(...d.rss)),
  ];
}

/**
 * @param {{ dir: string, plain: string, ct: string, runs: number, keys: { recipient: string, file: string } }} o
 * `plain` is a large file and `ct` its age encryption.
 */
export async function cliBench({ dir, plain, ct, runs, keys }) {
  const R = keys.recipient;
  const K = keys.file;
  // The bin as a program, as the installed `dms` runs: its sh header sets glibc's malloc tuning.
  const dms = DMS;
  const out = join(dir, "cli-out");
  const small = join(dir, "small");
  writeFileSync(small, Buffer.alloc(1024, 7));
  const smallCt = `${small}.age`;
  execFileSync("age", ["-r", R, "-o", smallCt, small]);
  const tree = join(dir, "cli-tree");
  makeTree(tree, { small: 10_000, large: 8 });
  // The same folder encrypted by each tool, for the extraction row.
  const treeAge = `${tree}.dms.age`;
  const treeTarAge = `${tree}.tar.age`;
  execFileSync("sh", ["-c", `${dms} encrypt -r ${R} -o ${treeAge} ${tree}`]);
  execFileSync("sh", ["-c", `tar -cf - -C ${tree} . | age -r ${R} -o ${treeTarAge}`]);
  const rows = [];
  const cases = [
    [
      "encrypt file → stdout (> /dev/null)",
      `age -r ${R} ${plain} > /dev/null`,
      `${dms} encrypt -r ${R} ${plain} > /dev/null`,
    ],
    [
      "decrypt file → stdout (> /dev/null)",
      `age -d -i ${K} ${ct} > /dev/null`,
      `${dms} decrypt -i ${K} ${ct} > /dev/null`,
    ],
    // The same two with dms on one thread: what its second core (src/workers/duo.ts) is worth.
    [
      "encrypt file → stdout, dms on one thread (DMS_CRYPTO_DUO=0)",
      `age -r ${R} ${plain} > /dev/null`,
      `DMS_CRYPTO_DUO=0 ${dms} encrypt -r ${R} ${plain} > /dev/null`,
    ],
    [
      "decrypt file → stdout, dms on one thread (DMS_CRYPTO_DUO=0)",
      `age -d -i ${K} ${ct} > /dev/null`,
      `DMS_CRYPTO_DUO=0 ${dms} decrypt -i ${K} ${ct} > /dev/null`,
    ],
    [
      "encrypt a folder (10 000 × 4 KiB + 8 × 16 MiB) → stdout",
      `tar -cf - -C ${tree} . | age -r ${R} > /dev/null`,
      `${dms} encrypt -r ${R} ${tree} > /dev/null`,
    ],
    [
      "extract that folder → folder (dms decrypt -x; age -d | tar -x)",
      `mkdir ${out} && age -d -i ${K} ${treeTarAge} | tar -xf - -C ${out}`,
      `${dms} decrypt -i ${K} -x ${out} ${treeAge}`,
    ],
    [
      "encrypt file → file (-o; dms fsyncs)",
      `age -r ${R} -o ${out} ${plain}`,
      `${dms} encrypt -r ${R} -o ${out} ${plain}`,
    ],
    [
      "decrypt file → file (-o; dms fsyncs)",
      `age -d -i ${K} -o ${out} ${ct}`,
      `${dms} decrypt -i ${K} -o ${out} ${ct}`,
    ],
    [
      "encrypt pipe → pipe",
      `cat ${plain} | age -r ${R} | cat > /dev/null`,
      `cat ${plain} | ${dms} encrypt -r ${R} | cat > /dev/null`,
    ],
    [
      "decrypt pipe → pipe",
      `cat ${ct} | age -d -i ${K} | cat > /dev/null`,
      `cat ${ct} | ${dms} decrypt -i ${K} | cat > /dev/null`,
    ],
    ["encrypt 1 KiB file", `age -r ${R} ${small} > /dev/null`, `${dms} encrypt -r ${R} ${small} > /dev/null`],
    // For scale: the dms column of this row is Node's own start, nothing of dms.
    ["1 KiB: age against `node -e 0` (Node's own start)", `age -r ${R} ${small} > /dev/null`, "node -e 0"],
    [
      "decrypt 1 KiB file",
      `age -d -i ${K} ${smallCt} > /dev/null`,
      `${dms} decrypt -i ${K} ${smallCt} > /dev/null`,
    ],
  ];
  // Node loads the NODE_EXTRA_CA_CERTS bundle at every start (~45 ms on the machines this was
  // written on, whose environment sets it; `node -e 0` took 68 ms with it, 23 ms without). age is
  // not affected. Where it is set, the 1 KiB rows run again without it, so both are on record.
  if (process.env.NODE_EXTRA_CA_CERTS) {
    for (const [what, a, d] of [
      ["encrypt", `age -r ${R} ${small}`, `${dms} encrypt -r ${R} ${small}`],
      ["decrypt", `age -d -i ${K} ${smallCt}`, `${dms} decrypt -i ${K} ${smallCt}`],
    ]) {
      cases.push([
        `${what} 1 KiB file, NODE_EXTRA_CA_CERTS unset`,
        `env -u NODE_EXTRA_CA_CERTS ${a} > /dev/null`,
        `env -u NODE_EXTRA_CA_CERTS ${d} > /dev/null`,
      ]);
    }
  }
  // Each -o run starts with no output file and a flushed disk: age writes in place, so it would
  // otherwise truncate the previous run's file and refill the very pages that freed, while dms
  // writes a new file beside it (and, past 4 MiB, around the page cache; see @dms/fs direct.ts).
  // The same for an extracted folder, so neither tool finds the other's files.
  const fresh = () => {
    rmSync(out, { recursive: true, force: true });
    spawnSync("sync");
  };
  for (const [label, a, d] of cases) {
    process.stderr.write(`  ${label}\n`);
    const reset = label.includes("→ file") || label.includes("→ folder") ? fresh : undefined;
    rows.push(await pair(label, a, d, label.includes("1 KiB") ? runs * 3 : runs, reset));
    rmSync(out, { recursive: true, force: true });
  }
  for (const p of [tree, treeAge, treeTarAge]) rmSync(p, { recursive: true, force: true });
  return [
    "### The dms command against the age CLI (whole processes, runs alternated, medians)",
    "",
    table(
      ["case", "runs", "age s", "dms s", "age ÷ dms (above 1: dms faster)", "age RSS MiB", "dms RSS MiB"],
      rows,
    ),
  ].join("\n");
}
