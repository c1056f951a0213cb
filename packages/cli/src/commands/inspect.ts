import { atMost, flag, parse } from "../args.js";
import { usage } from "../errors.js";
import { HELP } from "../help.js";
import { readAll, statPath } from "../io.js";
import { loadCrypto } from "../lib.js";
import { isS3Url } from "../s3-url.js";
import { writeStdout } from "../stdout.js";

/** Names age's own inspect uses for the stanza types, so output reads the same. */
const TYPE_NAMES: Record<string, string> = {
  X25519: "X25519",
  scrypt: "passphrase (scrypt)",
  mlkem768x25519: "post-quantum hybrid (ML-KEM-768 + X25519)",
};

/** `dms inspect FILE`: the header's stanza types and the sizes, without a key. */
export async function inspect(argv: string[]): Promise<number> {
  const p = parse("inspect", argv, { json: { type: "boolean" } });
  if (flag(p, "help")) {
    writeStdout(HELP.inspect ?? "");
    return 0;
  }
  atMost("inspect", p, 1);
  const file = p.positionals[0];
  if (file === undefined) throw usage("missing FILE; usage: dms inspect [--json] FILE");
  const age = await loadCrypto();
  let r: Awaited<ReturnType<typeof age.inspect>>;
  if (isS3Url(file)) r = await (await import("../s3.js")).inspectS3(age, file);
  else if (file === "-") r = await age.inspect(new Uint8Array(await readAll(process.stdin)));
  else {
    await statPath(file);
    r = await age.inspect(file);
  }
  if (flag(p, "json")) {
    const json = {
      file,
      armored: r.armored,
      stanzas: r.stanzas.map((s) =>
        s.workFactor === undefined
          ? { type: s.type, args: s.args }
          : { type: s.type, args: s.args, workFactor: s.workFactor },
      ),
      headerBytes: r.headerBytes,
      payloadBytes: r.payloadBytes,
      plaintextBytes: r.plaintextBytes,
      fileBytes: r.fileBytes,
    };
    writeStdout(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  const types = [
    ...new Set(
      r.stanzas.map((s) =>
        s.type === "scrypt" && s.workFactor !== undefined
          ? `passphrase (scrypt, work factor ${s.workFactor})`
          : (TYPE_NAMES[s.type] ?? s.type),
      ),
    ),
  ];
  const overhead = r.payloadBytes - r.plaintextBytes;
  const total = r.headerBytes + r.payloadBytes;
  const w = String(total).length;
  const row = (label: string, n: number) => `    ${label.padEnd(22)}${String(n).padStart(w)} bytes\n`;
  writeStdout(
    `${file === "-" ? "<stdin>" : file} is an age file, version "age-encryption.org/v1"${r.armored ? ", armored" : ""}.\n\n` +
      "This file is encrypted to the following recipient types:\n" +
      types.map((t) => `  - ${t}\n`).join("") +
      `\nSize breakdown (assuming it decrypts successfully${r.armored ? "; binary sizes, before armor" : ""}):\n\n` +
      row("Header", r.headerBytes) +
      row("Encryption overhead", overhead) +
      row("Payload", r.plaintextBytes) +
      `    ${"".padEnd(22, " ")}${"-".repeat(w)}\n` +
      row("Total", total),
  );
  return 0;
}
