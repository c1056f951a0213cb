// Benchmarks of @dms/crypto (not tests): `node bench/run.mjs [--quick] [--big] [--no-dirs] [--dirs] [--cli]`
// (--dirs: the directory cases only; --cli: only the dms command against the age CLI, on 1 GiB).
// Prints markdown tables and writes bench/results/latest.md. Needs /usr/bin/age and
// /usr/bin/time, and a build (`npx tsc -p tsconfig.build.json`).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, identityToRecipient } from "../dist/index.js";
import { cliBench } from "./cli.mjs";
import { dirBench, rangeBench } from "./dirs.mjs";
import { bigBench, fileBench } from "./files.mjs";
import { GiB, MiB, randomFile } from "./util.mjs";

const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
const runs = quick ? 1 : 3;
const cliOnly = args.has("--cli");
const sizes = args.has("--dirs") || cliOnly ? [] : quick ? [256 * MiB] : [256 * MiB, GiB];
const loadBefore = loadavg();

const dir = mkdtempSync(join(tmpdir(), "dms-crypto-bench-"));
const identity = await generateIdentity();
const keys = { identity, recipient: await identityToRecipient(identity), file: join(dir, "key.txt") };
writeFileSync(keys.file, `${identity}\n`, { mode: 0o600 });

const started = new Date();
const sections = [];
const emit = (s) => {
  sections.push(s);
  console.log(s);
};

try {
  const ageEncrypt = (src, dst) => execFileSync("age", ["-r", keys.recipient, "-o", dst, src]);
  for (const bytes of sizes) {
    const plain = join(dir, `plain-${bytes}`);
    const ct = `${plain}.age`;
    randomFile(plain, bytes);
    ageEncrypt(plain, ct);
    process.stderr.write(`files, ${bytes / MiB} MiB\n`);
    emit(await fileBench({ dir, plain, ct, bytes, runs, keys }));
    if (bytes === GiB || quick) {
      emit(await rangeBench({ ct, bytes, runs, keys }));
    }
    rmSync(plain);
    rmSync(ct);
  }
  if (args.has("--big")) {
    const bytes = 4 * GiB;
    const plain = join(dir, "plain-big");
    const ct = `${plain}.age`;
    randomFile(plain, bytes);
    ageEncrypt(plain, ct);
    process.stderr.write("files, 4 GiB\n");
    emit(await bigBench({ dir, plain, ct, bytes, keys }));
    rmSync(plain);
    rmSync(ct);
  }
  if (cliOnly) {
    const bytes = quick ? 256 * MiB : GiB;
    const plain = join(dir, "plain-cli");
    const ct = `${plain}.age`;
    randomFile(plain, bytes);
    ageEncrypt(plain, ct);
    process.stderr.write(`dms command vs age, ${bytes / MiB} MiB\n`);
    emit(await cliBench({ dir, plain, ct, runs: quick ? 3 : 5, keys }));
  }
  if (!args.has("--no-dirs") && !cliOnly) {
    process.stderr.write("directories\n");
    emit(await dirBench({ dir, runs, keys }));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const ageVersion = execFileSync("age", ["--version"]).toString().trim();
const head = [
  "# @dms/crypto benchmarks",
  "",
  `- command: \`node bench/run.mjs ${process.argv.slice(2).join(" ")}\``.replace(/ `$/, "`"),
  `- date: ${started.toISOString()}`,
  `- machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), node ${process.version}, age ${ageVersion}`,
  "- times are wall-clock medians of separate processes (start-up included) unless a table says otherwise;",
  "  peak RSS is the child's max resident set from GNU time",
  `- load average (1, 5, 15 min) before: ${loadBefore.map((x) => x.toFixed(2)).join(", ")}; after: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(", ")}`,
  "",
].join("\n");
const results = new URL("./results/", import.meta.url);
mkdirSync(results, { recursive: true });
writeFileSync(new URL("latest.md", results), `${head}\n${sections.join("\n")}`);
console.log(`wrote ${new URL("latest.md", results).pathname}`);
