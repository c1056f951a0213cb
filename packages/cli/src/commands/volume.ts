import { flag, parse } from "../args.js";
import { DmsError } from "../errors.js";
import { HELP } from "../help.js";

/** `dms volume <subcommand>`: storage volumes through @dms/storage's controller. */
export async function volume(argv: string[]): Promise<number> {
  const p = parse("volume", argv, {});
  if (flag(p, "help") || p.positionals.length === 0) {
    process.stdout.write(HELP.volume ?? "");
    return p.positionals.length === 0 && !flag(p, "help") ? 1 : 0;
  }
  throw new DmsError("ERR_DMS_UNSUPPORTED", "volume commands are not wired to @dms/storage yet");
}
