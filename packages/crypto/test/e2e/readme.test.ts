// Every TypeScript example of the README runs as written, against the built package, with a
// prelude that supplies the names the examples take as given (keys, data, files).
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { runReadmeExamples } from "../../../../scripts/readme-examples.mjs";

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
const file = new Blob([await age.encrypt(data, { recipients })]); // a File the user picked
`;

it("the README's TypeScript examples run against the built package", () => {
  const r = runReadmeExamples({
    pkgDir: join(dirname(fileURLToPath(import.meta.url)), "..", ".."),
    prelude: PRELUDE,
    // The examples write "age1..." for "your recipient".
    replace: [['"age1..."', "recipient"]],
  });
  try {
    expect(r.blocks).toBeGreaterThanOrEqual(6);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    // What the examples promise: the file round trip and the directory restore.
    expect(readFileSync(join(r.work, "report.pdf"), "utf8")).toBe("job input\n".repeat(1000));
    expect(readFileSync(join(r.work, "report.copy"), "utf8")).toBe("job input\n".repeat(1000));
    expect(readFileSync(join(r.work, "restored/sub/out.txt"), "utf8")).toBe("result\n");
  } finally {
    rmSync(r.work, { recursive: true, force: true });
  }
});
