"""A virtual X display for WebKitGTK's MiniBrowser, which has no headless mode: an Xvfb of our own.

Firefox runs headless and needs none. A machine without a screen (CI) has no DISPLAY: one Xvfb is started the
first time a display is asked for and stopped when the Python process ends.
"""
import atexit
import os
import subprocess

_started = {}


def display() -> str:
    """The DISPLAY to use: the environment's if it has one, else our own Xvfb's (started once)."""
    if os.environ.get("DISPLAY"):
        return os.environ["DISPLAY"]
    if "display" not in _started:
        read, write = os.pipe()
        # -displayfd: Xvfb picks a free display number and writes it to `write` once it accepts clients.
        process = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                                   pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            process.kill()
            raise RuntimeError("Xvfb did not start (is the xvfb package installed? `make engines`)")
        _started["display"] = f":{number}"
        atexit.register(process.terminate)
    return _started["display"]
