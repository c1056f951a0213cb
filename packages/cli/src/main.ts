/** Entry point of the `dms` command; returns the exit status. */
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write("dms: error: not built yet (ERR_DMS_INTERNAL)\n");
  return 1;
}
