# Runs a command on a pseudo-terminal (stdin, stdout, stderr and /dev/tty all the pty), answers each
# passphrase prompt (age's wording or ours) with the next answer, and prints {"status", "output"} as JSON.
# Used by the tests to drive prompts and terminal checks the way a user at a terminal would.
import json, os, pty, re, select, sys, time

cfg = json.loads(sys.argv[1])
answers = list(cfg.get("answers", []))
pid, fd = pty.fork()
if pid == 0:
    os.chdir(cfg.get("cwd", "."))
    os.execvp(cfg["cmd"][0], cfg["cmd"])
out = b""
seen = 0
deadline = time.monotonic() + cfg.get("timeout", 30)
while time.monotonic() < deadline:
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
        while answers and len(re.findall(rb"passphrase[^\n]*?: ", out)) > seen:
            seen += 1
            time.sleep(0.05)
            os.write(fd, answers.pop(0).encode() + b"\r")
_, status = os.waitpid(pid, 0)
print(json.dumps({"status": os.waitstatus_to_exitcode(status), "output": out.decode("utf8", "replace")}))
