// Every TypeScript example of the README runs as written (one block scope each), against the built
// package, with a prelude that supplies the names the examples take as given (keys, data, files).
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const IMPORT = /^import \{([^}]*)\} from "@dms\/crypto";\n/gm;

const PRELUDE = `
import { createReadStream, createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import * as age from "@dms/crypto";
const identity = await age.generateIdentity();
const recipient = await age.identityToRecipient(identity);
const [identities, recipients, key] = [[identity], [recipient], identity];
const data = new TextEncoder().encode("job input\\n".repeat(1000));
const log = () => {};
const signal = new AbortController().signal;
const readable = new Blob([data]).stream();
const writable = new WritableStream();
const [src, dst] = ["report.pdf.age", "report.copy"];
writeFileSync("key.txt", "# test key\\n" + identity + "\\n");
writeFileSync("report.pdf", data);
mkdirSync("results/sub", { recursive: true });
writeFileSync("results/sub/out.txt", "result\\n");
writeFileSync("video.age", await age.encrypt(data, { recipients }));
`;

let work: string | undefined;
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

it("the README's TypeScript examples run against the built package", async () => {
  const readme = readFileSync(join(pkg, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  expect(blocks.length).toBeGreaterThanOrEqual(6);
  const names = new Set<string>();
  const bodies = blocks.map((b) => {
    for (const m of b.matchAll(IMPORT)) for (const n of (m[1] as string).split(",")) names.add(n.trim());
    // The examples write "age1..." for "your recipient".
    return `{\n${b.replace(IMPORT, "").replaceAll('"age1..."', "recipient")}}\n`;
  });
  const code = `import { ${[...names].join(", ")} } from "@dms/crypto";\n${PRELUDE}\n${bodies.join("")}console.log("done");\n`;
  work = await mkdtemp(join(tmpdir(), "dms-readme-"));
  // Inside the package folder, "@dms/crypto" resolves to the package itself (its exports map).
  const file = join(pkg, `.readme-example-${process.pid}.mjs`);
  writeFileSync(file, code);
  try {
    const r = spawnSync(process.execPath, [file], { cwd: work, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("done\n");
    expect(r.status).toBe(0);
  } finally {
    rmSync(file, { force: true });
  }
  // What the examples promise: the file round trip and the directory restore.
  expect(readFileSync(join(work, "report.pdf"), "utf8")).toBe("job input\n".repeat(1000));
  expect(readFileSync(join(work, "report.copy"), "utf8")).toBe("job input\n".repeat(1000));
  expect(readFileSync(join(work, "restored/sub/out.txt"), "utf8")).toBe("result\n");
});
