"""Where the things under test are: the source tree, the observd binary, the built
site and templates, read from the environment ctest sets (OBSERVD_*), with
fallbacks for a run from a source checkout. Pure; thread-safe.
"""

import os

__all__ = ["env_path", "source_dir", "observd_bin", "default_www", "default_templates"]


def env_path(name, default=None):
    """The value of environment variable `name`, or `default` when unset or empty."""
    value = os.environ.get(name)
    return value if value else default


def source_dir():
    return env_path("OBSERVD_SOURCE_DIR",
                    os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))


def observd_bin():
    b = env_path("OBSERVD_BIN")
    if b:
        return b
    for cand in ("build/bin/observd", "build-it/bin/observd"):
        p = os.path.join(source_dir(), cand)
        if os.path.exists(p):
            return p
    raise RuntimeError("OBSERVD_BIN is not set and no build/bin/observd exists")


def default_www():
    """The built site (OBSERVD_WWW), or None when the front end was not built."""
    www = env_path("OBSERVD_WWW")
    if www and os.path.isdir(www):
        return www
    return None


def default_templates():
    t = env_path("OBSERVD_TEMPLATES")
    if t and os.path.isdir(t):
        return t
    return os.path.join(source_dir(), "frontend", "templates")
