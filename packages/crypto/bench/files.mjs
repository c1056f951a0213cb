// File benchmarks: encrypt and decrypt of one random file, to /dev/null and file to file, for
// both backends of this package, the age CLI, typage (age-encryption) and cp.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fmtMiB, fmtS, fmtX, GiB, MiB, measure, node, sh, table } from "./util.mjs";

const q = (p) => `'${p}'`;

/**
 * Runs every file case on `bytes` of random data in `dir` (`plain` and `ct` already exist: `ct`
 * is `plain` encrypted by age, so every decryptor reads the same file). Returns markdown.
 */
export async function fileBench({ dir, plain, ct, bytes, runs, keys, portable = true }) {
  const out = join(dir, "out");
  // Blank means unset: the default one-thread engine unless a row asks for workers.
  const env = { BENCH_RECIPIENT: keys.recipient, BENCH_IDENTITY: keys.identity, DMS_CRYPTO_WORKERS: "" };
  const clean = () => rmSync(out, { force: true });
  const age = {
    "enc → /dev/null": sh(`age -r ${keys.recipient} -o /dev/null ${q(plain)}`),
    "enc file → file": sh(`age -r ${keys.recipient} -o ${q(out)} ${q(plain)}`),
    "dec → /dev/null": sh(`age -d -i ${q(keys.file)} -o /dev/null ${q(ct)}`),
    "dec file → file": sh(`age -d -i ${q(keys.file)} -o ${q(out)} ${q(ct)}`),
  };
  const ours = (backend) => ({
    "enc → /dev/null": node("enc-stream", backend, plain, "/dev/null"),
    "enc file → file": node("enc-file", backend, plain, out),
    "dec → /dev/null": node("dec-stream", backend, ct, "/dev/null"),
    "dec file → file": node("dec-file", backend, ct, out),
  });
  const typage = {
    "enc → /dev/null": node("typage-enc", plain, "/dev/null"),
    "enc file → file": node("typage-enc", plain, out),
    "dec → /dev/null": node("typage-dec", ct, "/dev/null"),
    "dec file → file": node("typage-dec", ct, out),
  };
  // [name, cases, extra env, runs]: the two slow JavaScript ciphers run once at 1 GiB and up.
  const slow = bytes >= GiB ? 1 : runs;
  const tools = [
    ["age 1.1.1", age, {}, runs],
    ["@dms/crypto native", ours("native"), {}, runs],
    ["@dms/crypto native, 2 workers", ours("native"), { DMS_CRYPTO_WORKERS: "2" }, runs],
    ...(portable
      ? [
          ["@dms/crypto portable", ours("portable"), {}, slow],
          ["typage 0.3.1 (stream API)", typage, {}, slow],
        ]
      : []),
  ];
  const cp = {
    cp: await measure(sh(`cp ${q(plain)} ${q(out)}`), runs, { before: clean }),
    "cp + fsync": await measure(sh(`cp ${q(plain)} ${q(out)} && sync ${q(out)}`), runs, { before: clean }),
  };
  const rows = [];
  for (const op of Object.keys(age)) {
    const res = {};
    for (const [name, cases, extra, n] of tools) {
      res[name] = { ...(await measure(cases[op], n, { env: { ...env, ...extra }, before: clean })), n };
      process.stderr.write(`  ${fmtS(res[name].ms)} s  ${op}  ${name}\n`);
    }
    const base = res["age 1.1.1"].ms;
    const ty = res["typage 0.3.1 (stream API)"]?.ms;
    for (const [name, r] of Object.entries(res)) {
      const toFile = op.includes("file → file");
      rows.push([
        op,
        name,
        String(r.n),
        fmtS(r.ms),
        (bytes / GiB / (r.ms / 1000)).toFixed(2),
        fmtX(r.ms, base),
        toFile ? fmtX(r.ms, cp.cp.ms) : "",
        name.endsWith("portable") && ty ? fmtX(ty, r.ms) : "",
        fmtMiB(r.rssMiB),
      ]);
    }
  }
  for (const [name, r] of Object.entries(cp)) {
    rows.push([
      "copy",
      name,
      String(runs),
      fmtS(r.ms),
      (bytes / GiB / (r.ms / 1000)).toFixed(2),
      "",
      fmtX(r.ms, cp.cp.ms),
      "",
      fmtMiB(r.rssMiB),
    ]);
  }
  clean();
  const size = bytes >= GiB ? `${bytes / GiB} GiB` : `${bytes / MiB} MiB`;
  return `### ${size}, medians\n\n${table(
    [
      "operation",
      "tool",
      "runs",
      "median s",
      "GiB/s",
      "time ÷ age",
      "time ÷ cp",
      "typage ÷ this",
      "peak RSS MiB",
    ],
    rows,
  )}\n`;
}

/** The 4 GiB case: native file to file, both directions, peak RSS only matters. */
export async function bigBench({ dir, plain, ct, bytes, keys }) {
  const out = join(dir, "out");
  const env = { BENCH_RECIPIENT: keys.recipient, BENCH_IDENTITY: keys.identity };
  const rows = [];
  for (const [op, c] of [
    ["encryptFile", node("enc-file", "native", plain, out)],
    ["decryptFile", node("dec-file", "native", ct, out)],
    ["age -e (file → file)", sh(`age -r ${keys.recipient} -o ${q(out)} ${q(plain)}`)],
  ]) {
    rmSync(out, { force: true });
    const r = await measure(c, 1, { env });
    rows.push([op, fmtS(r.ms), fmtMiB(r.rssMiB), r.rssMiB < 100 ? "yes" : "NO"]);
  }
  rmSync(out, { force: true });
  return `### ${bytes / GiB} GiB, native file to file, one run\n\n${table(["operation", "s", "peak RSS MiB", "< 100 MiB"], rows)}\n`;
}
