// SIGKILL during decrypt with the real age cipher (@dms/crypto directory mode), 50 random kill points.
import { ageCrashSuite } from "./crash.js";

ageCrashSuite("decrypt");
