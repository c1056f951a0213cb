// Installed-alone check (scripts/pack-check.mjs): import by name, call real functions.
import { levelName, parseGPUVendor, parseSpecConfig } from "@dms/types";

const spec = parseSpecConfig({ type: "docker", params: { image: "alpine" } });
console.log(`spec=${spec.type} level4=${levelName(4)} vendor=${parseGPUVendor("NVIDIA Corporation")}`);
const { EncryptionType } = await import("@dms/types/constants");
if (EncryptionType.Age !== 1) throw new Error("@dms/types/constants: EncryptionType.Age is not 1");
