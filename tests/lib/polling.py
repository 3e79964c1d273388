"""Waiting without sleeps standing in for synchronisation.

Owns wait_until() (poll a predicate against a deadline), timed() (wall time of one
call) and DEFAULT_DEADLINE. Pure; thread-safe.
"""

import time

__all__ = ["DEFAULT_DEADLINE", "wait_until", "timed"]

DEFAULT_DEADLINE = 15.0


def wait_until(predicate, timeout=DEFAULT_DEADLINE, interval=0.05, message=None):
    """Polls predicate() until it returns a truthy value or the deadline passes.

    Exceptions raised by predicate count as "not yet". Returns the truthy value;
    raises AssertionError naming `message` (and the last exception) on timeout.
    """
    deadline = time.monotonic() + timeout
    last_exc = None
    while True:
        try:
            value = predicate()
            if value:
                return value
            last_exc = None
        except Exception as exc:  # noqa: BLE001 - polling tolerates transient errors
            last_exc = exc
        if time.monotonic() >= deadline:
            text = "condition not met within %.1fs" % timeout
            if message:
                text += ": " + (message() if callable(message) else message)
            if last_exc is not None:
                text += " (last error: %r)" % (last_exc,)
            raise AssertionError(text)
        time.sleep(interval)


def timed(fn, *args, **kwargs):
    """Runs fn(*args, **kwargs); returns (result, wall seconds)."""
    t0 = time.monotonic()
    result = fn(*args, **kwargs)
    return result, time.monotonic() - t0
