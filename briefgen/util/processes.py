"""Programs a build runs on a folder of its own (the search indexer), each on record while it
runs, so that whoever owns the folders can end them: ``briefgen serve`` ends those at work in
its temporary folder when it stops or when a save makes their work moot, instead of waiting."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

# Programs running now, by the folder they work on
_running: dict[subprocess.Popen[str], Path] = {}
_running_lock = threading.Lock()


def run(command: list[str], folder: Path, timeout: float = 600) -> tuple[int, str, str]:
    """subprocess.run(capture_output=True, timeout=timeout) of a program working on
    ``folder``, with the process on record while it runs; its pipes are closed and the
    process reaped however this ends. Returns its exit status, output and errors."""
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        with _running_lock:
            _running[proc] = folder.resolve()
        try:
            out, err = proc.communicate(timeout=timeout)
        except BaseException:
            proc.kill()  # a timeout, Ctrl-C: the program must not outlive the build
            raise
        finally:
            with _running_lock:
                _running.pop(proc, None)
    return proc.returncode, out, err


def stop(under: Path) -> None:
    """End every program at work on a folder inside ``under``; the work they were doing
    fails."""
    under = under.resolve()
    with _running_lock:
        procs = [proc for proc, folder in _running.items() if folder.is_relative_to(under)]
    for proc in procs:
        try:
            proc.kill()
        except OSError:
            pass
