// Directory benchmarks (issue 4): encryptDirectory / extractDirectory against tar | age, a range
// read at the end of a large file against a full decryption, and peak RSS against file count.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fmtMiB, fmtS, fmtX, MiB, measure, node, randomFile, sh, table } from "./util.mjs";

const q = (p) => `'${p}'`;

/** `small` files of 4 KiB in folders of 1000, plus `large` files of 16 MiB; or empty files. */
export function makeTree(root, { small, large = 0, size = 4096 }) {
  const buf = Buffer.alloc(size, 7);
  for (let i = 0; i < small; i++) {
    const d = join(root, `d${Math.floor(i / 1000)}`);
    if (i % 1000 === 0) mkdirSync(d, { recursive: true });
    writeFileSync(join(d, `f${i}`), size ? buf.subarray(0, size) : "");
  }
  for (let i = 0; i < large; i++) randomFile(join(root, `big${i}`), 16 * MiB);
}

export async function dirBench({ dir, runs, keys }) {
  const env = { BENCH_RECIPIENT: keys.recipient, BENCH_IDENTITY: keys.identity };
  const tree = join(dir, "tree");
  const archive = join(dir, "tree.tar.age");
  const out = join(dir, "out-tree");
  makeTree(tree, { small: 10_000, large: 8 });
  const cleanArchive = () => rmSync(archive, { force: true });
  const cleanOut = () => rmSync(out, { recursive: true, force: true });
  const rows = [];
  const pair = async (op, ours, theirs, before) => {
    const a = await measure(ours, runs, { env, before });
    const b = await measure(theirs, runs, { env, before });
    rows.push([op, "@dms/crypto", fmtS(a.ms), fmtX(a.ms, b.ms), fmtMiB(a.rssMiB)]);
    rows.push([op, "tar + age", fmtS(b.ms), "1.00", fmtMiB(b.rssMiB)]);
    process.stderr.write(`  ${op}: ${fmtS(a.ms)} s vs ${fmtS(b.ms)} s\n`);
  };
  await pair(
    "encrypt 10 000 × 4 KiB + 8 × 16 MiB",
    node("enc-dir", tree, archive),
    sh(`tar -cf - -C ${q(tree)} . | age -r ${keys.recipient} -o ${q(archive)}`),
    cleanArchive,
  );
  await measure(node("enc-dir", tree, archive), 1, { env, before: cleanArchive });
  await pair(
    "extract the same",
    node("extract", archive, out),
    sh(`mkdir ${q(out)} && age -d -i ${q(keys.file)} ${q(archive)} | tar -xf - -C ${q(out)}`),
    cleanOut,
  );
  cleanOut();
  cleanArchive();
  rmSync(tree, { recursive: true, force: true });

  // Peak RSS in the number of (empty) files.
  const mem = [];
  for (const n of [10_000, 100_000]) {
    const t = join(dir, `empty${n}`);
    makeTree(t, { small: n, size: 0 });
    const e = await measure(node("enc-dir", t, archive), 1, { env, before: cleanArchive });
    const x = await measure(node("extract", archive, out), 1, { env, before: cleanOut });
    mem.push([
      `${n.toLocaleString("en")} empty files`,
      fmtS(e.ms),
      fmtMiB(e.rssMiB),
      fmtS(x.ms),
      fmtMiB(x.rssMiB),
    ]);
    process.stderr.write(
      `  ${n} empty files: enc ${fmtMiB(e.rssMiB)} MiB, extract ${fmtMiB(x.rssMiB)} MiB\n`,
    );
    cleanOut();
    cleanArchive();
    rmSync(t, { recursive: true, force: true });
  }
  return `### Directories, median of ${runs}\n\n${table(
    ["operation", "tool", "median s", "time ÷ tar+age", "peak RSS MiB"],
    rows,
  )}\n\n### Peak memory against the number of files (one run each)\n\n${table(
    ["tree", "encryptDirectory s", "peak RSS MiB", "extractDirectory s", "peak RSS MiB"],
    mem,
  )}\n`;
}

/** 1 MiB read at the end of `ct` (timed in-process) against decrypting all of it. */
export async function rangeBench({ ct, bytes, runs, keys }) {
  const env = { BENCH_RECIPIENT: keys.recipient, BENCH_IDENTITY: keys.identity };
  const r = await measure(node("range", ct, String(MiB)), runs, { env });
  const full = await measure(node("dec-null-timed", ct), runs, { env });
  const size = `${bytes / (1024 * MiB)} GiB`;
  return `### Random access, median of ${runs} (timed inside the process, start-up excluded)\n\n${table(
    ["operation", "median s", "speed-up", "peak RSS MiB"],
    [
      [`openEncrypted + read last 1 MiB of ${size}`, fmtS(r.ms), fmtX(full.ms, r.ms), fmtMiB(r.rssMiB)],
      [`decrypt all ${size} (native stream → /dev/null)`, fmtS(full.ms), "1.00", fmtMiB(full.rssMiB)],
    ],
  )}\n`;
}
