#!/usr/bin/env python3
"""Records what real full-screen programs write to a 100x30 terminal, for the screen-model tests.

Usage: capture-fixtures.py OUTDIR
Each fixture is the raw PTY output of one scripted session. Keys are sent once the program has
been quiet for a moment; this pacing only shapes the recording and never runs in the tests.
"""
import fcntl
import os
import pty
import select
import struct
import sys
import tempfile
import termios
import time

COLS, ROWS = 100, 30
QUIET = 0.4


def run(argv, keys, cwd, settle=QUIET):
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cwd)
        env = {"TERM": "xterm-256color", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin", "HOME": cwd,
               "COLUMNS": str(COLS), "LINES": str(ROWS)}
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    out = bytearray()
    pending = list(keys)

    def drain(quiet):
        last = time.monotonic()
        while True:
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    return False
                if not chunk:
                    return False
                out.extend(chunk)
                last = time.monotonic()
            elif time.monotonic() - last > quiet:
                return True

    alive = drain(settle)
    while alive and pending:
        os.write(fd, pending.pop(0))
        alive = drain(settle)
    while alive:
        alive = drain(5)
        if alive:
            break
    os.waitpid(pid, 0)
    return bytes(out)


def main():
    outdir = sys.argv[1]
    work = tempfile.mkdtemp()
    with open(os.path.join(work, "notes.txt"), "w") as f:
        for i in range(1, 61):
            f.write(f"line {i}: the quick brown fox jumps over the lazy dog \u00e9t\u00e9 \u4e2d\u6587 {i * 7}\n")
    shell = ["bash", "--noprofile", "--norc", "-i"]
    prompt = b"PS1='$ '; ls --color=always -C /usr/lib | head -12\r"
    fixtures = {
        "vim.bin": (shell, [prompt, b"vim -u NONE -N -c 'syntax on' -c 'set number ruler laststatus=2' notes.txt\r",
                            b"10j", b"A appended\x1b", b"Ggg", b"/fox\r", b"\x06", b"ddu",
                            b"o new line \xe4\xb8\xad\x1b", b":set nonumber\r", b":q!\r", b"exit\r"]),
        "less.bin": (shell, [prompt, b"less -R notes.txt\r", b" ", b"/dog\r", b"G", b"g", b"q", b"exit\r"]),
        "top.bin": (["top", "-d", "1", "-n", "2"], []),
        "ls-color.bin": (["ls", "--color=always", "-la", "/usr/bin"], []),
    }
    for name, (argv, keys) in fixtures.items():
        data = run(argv, keys, work, settle=1.5 if name == "top.bin" else QUIET)
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
