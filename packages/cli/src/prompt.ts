import { closeSync, openSync } from "node:fs";
import type { ReadStream, WriteStream } from "node:tty";
import { DmsError } from "./errors.js";

// The terminal is opened directly (like age does) so that stdin and stdout stay free for data.
const TTY_PATH = "/dev/tty";

// node:tty is loaded only here, when a prompt is needed (it loads node:net: terminal.ts).
async function openTerminal(): Promise<{ input: ReadStream; output: WriteStream }> {
  const tty = await import("node:tty");
  let rfd: number | undefined;
  try {
    rfd = openSync(TTY_PATH, "r");
    const wfd = openSync(TTY_PATH, "w");
    return { input: new tty.ReadStream(rfd), output: new tty.WriteStream(wfd) };
  } catch (err) {
    if (rfd !== undefined) closeSync(rfd);
    throw new DmsError(
      "ERR_DMS_NO_TERMINAL",
      "cannot ask for a passphrase: no terminal is attached; use --passphrase-file FILE",
      { cause: err },
    );
  }
}

/**
 * Asks for one line on the terminal with echo off. Ctrl-C or Ctrl-D cancel.
 *
 * @throws DmsError ERR_DMS_NO_TERMINAL when there is no terminal, ERR_DMS_PASSPHRASE when cancelled.
 */
export async function askHidden(prompt: string): Promise<string> {
  const { input, output } = await openTerminal();
  return new Promise<string>((resolve, reject) => {
    let text = "";
    const finish = (err?: Error) => {
      input.off("data", onData);
      try {
        input.setRawMode(false);
      } catch {}
      output.write("\n");
      input.destroy();
      output.end();
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return finish();
        if (ch === "\u0003" || (ch === "\u0004" && text === "")) {
          return finish(
            new DmsError("ERR_DMS_PASSPHRASE", "passphrase entry cancelled; run the command again"),
          );
        }
        if (ch === "\u007f" || ch === "\b") text = Array.from(text).slice(0, -1).join("");
        else if (ch >= " ") text += ch;
      }
    };
    input.setRawMode(true);
    input.on("data", onData);
    output.write(prompt);
  });
}

/**
 * Asks for a new passphrase twice; they must match and not be empty.
 *
 * @throws DmsError ERR_DMS_PASSPHRASE on mismatch or an empty passphrase, ERR_DMS_NO_TERMINAL.
 */
export async function askNewPassphrase(): Promise<string> {
  const first = await askHidden("Enter passphrase: ");
  if (first === "") {
    throw new DmsError("ERR_DMS_PASSPHRASE", "the passphrase is empty; type a passphrase");
  }
  const second = await askHidden("Confirm passphrase: ");
  if (first !== second) {
    throw new DmsError("ERR_DMS_PASSPHRASE", "the passphrases did not match; run the command again");
  }
  return first;
}
