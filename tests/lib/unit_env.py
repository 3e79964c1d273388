#!/usr/bin/env python3
"""The environment systemd/observd.service gives observd (its Environment= lines), so
that tests, benchmarks and the quick start run observd as the unit does. The unit is
the one place that environment is written; this only reads it. Pure; thread-safe.

As a script, prints one VAR=value per line for shell harnesses, leaving out any
variable already set in the caller's environment (an override, as a variable in
/etc/default/observd overrides the unit's Environment=):
  mapfile -t UNIT_ENV < <(python3 tests/lib/unit_env.py)
  env "${UNIT_ENV[@]}" build/bin/observd ...
"""

import os
import shlex
import sys

__all__ = ["unit_file", "unit_environment"]


def unit_file():
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "systemd",
                        "observd.service")


def unit_environment(path=None):
    """{VAR: value} from the unit's Environment= lines; later assignments win, as in systemd.

    Raises ValueError on an assignment without '=' (systemd would ignore it; a test
    harness should not)."""
    env = {}
    with open(path or unit_file()) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("Environment="):
                continue
            for item in shlex.split(line[len("Environment="):]):
                name, eq, value = item.partition("=")
                if not eq or not name:
                    raise ValueError("%s: not VAR=value: %r" % (path or unit_file(), item))
                env[name] = value
    return env


def main():
    for name, value in unit_environment().items():
        if name not in os.environ:
            print("%s=%s" % (name, value))
    return 0


if __name__ == "__main__":
    sys.exit(main())
