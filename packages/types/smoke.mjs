// Installed-alone check (scripts/pack-check.mjs): import by name, call real functions.
import { levelName, parseGPUVendor, parseSpecConfig } from "@dms/types";

const spec = parseSpecConfig({ type: "docker", params: { image: "alpine" } });
console.log(`spec=${spec.type} level4=${levelName(4)} vendor=${parseGPUVendor("NVIDIA Corporation")}`);
