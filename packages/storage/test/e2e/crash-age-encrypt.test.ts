// SIGKILL during encrypt with the real age cipher (@dms/crypto directory mode), 50 random kill points.
import { ageCrashSuite } from "./crash.js";

ageCrashSuite("encrypt");
