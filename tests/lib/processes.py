"""Stopping the server processes the tests start.

Owns stop_process(): SIGTERM, a bounded wait, then SIGKILL. Stateless; thread-safe.
"""

import subprocess

__all__ = ["stop_process"]


def stop_process(proc, timeout=10):
    """Stops `proc` (a subprocess.Popen) if it still runs: SIGTERM, then SIGKILL after
    `timeout` seconds. Always reaps it."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
