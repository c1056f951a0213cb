import { fstatSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { atMost, flag, parse, str } from "../args.js";
import { fsError, usage } from "../errors.js";
import { HELP } from "../help.js";
import { isStd, readText } from "../io.js";
import { loadCore } from "../lib.js";
import { writeStdout } from "../stdout.js";
import { isTerminal } from "../terminal.js";

/** `dms keygen`: a new identity in age's file format, or (-y) the recipients of an identity file. */
export async function keygen(argv: string[]): Promise<number> {
  const p = parse("keygen", argv, {
    output: { type: "string", short: "o" },
    pq: { type: "boolean" },
    y: { type: "boolean", short: "y" },
    json: { type: "boolean" },
  });
  if (flag(p, "help")) {
    writeStdout(HELP.keygen ?? "");
    return 0;
  }
  const age = await loadCore();
  if (flag(p, "y")) {
    atMost("keygen -y", p, 1);
    if (flag(p, "pq")) throw usage("-y and --pq cannot be used together");
    const input = p.positionals[0];
    const text = await readText(isStd(input) ? "-" : input, "the identity file");
    const ids = age.parseIdentities(text);
    const out = str(p, "output");
    const lines = `${(await Promise.all(ids.map((id) => age.identityToRecipient(id)))).join("\n")}\n`;
    if (isStd(out)) writeStdout(lines);
    else await writeNew(out, lines, 0o644);
    return 0;
  }
  atMost("keygen", p, 0);
  const identity = flag(p, "pq") ? await age.generateHybridIdentity() : await age.generateIdentity();
  const recipient = await age.identityToRecipient(identity);
  const created = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const text = `# created: ${created}\n# public key: ${recipient}\n${identity}\n`;
  const out = str(p, "output");
  if (flag(p, "json")) {
    // The identity goes to the file when -o is given; stdout then carries only public facts.
    if (!isStd(out)) await writeNew(out, text, 0o600);
    const doc = isStd(out) ? { created, recipient, identity } : { created, recipient, path: out };
    writeStdout(`${JSON.stringify(doc)}\n`);
    return 0;
  }
  if (isStd(out)) {
    warnIfWorldReadable();
    writeStdout(text);
  } else await writeNew(out, text, 0o600);
  // On a terminal the key file shown already names the public key; say it once, as age-keygen does.
  if (!(isStd(out) && isTerminal(1))) process.stderr.write(`Public key: ${recipient}\n`);
  return 0;
}

/** `dms keygen > key.txt` into a file others can read: warn, as age-keygen does. */
function warnIfWorldReadable(): void {
  try {
    // bigint: see throughFds in encrypt.ts (a sync stat of a pipe misleads Node's module resolver).
    const st = fstatSync(1, { bigint: true });
    if (st.isFile() && (st.mode & 0o004n) !== 0n) {
      process.stderr.write("dms: warning: writing secret key to a world-readable file\n");
    }
  } catch {
    // stdout is closed or not a file: nothing to warn about.
  }
}

async function writeNew(path: string, text: string, mode: number): Promise<void> {
  try {
    // "wx": an existing key file is never replaced; losing a secret key is not undoable.
    await writeFile(path, text, { flag: "wx", mode });
  } catch (err) {
    throw fsError(err, path, "write");
  }
}
