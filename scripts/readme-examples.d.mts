/** Runs a package README's ```ts examples against the built package; see readme-examples.mjs. */
export function runReadmeExamples(o: { pkgDir: string; prelude?: string; replace?: [string, string][] }): {
  status: number | null;
  stdout: string;
  stderr: string;
  work: string;
  blocks: number;
};
