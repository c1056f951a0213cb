import type { VolumeCipher } from "../../src/index.js";
export declare const tarCipher: VolumeCipher;
