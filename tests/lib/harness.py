"""TRANSITIONAL re-export facade: the old single-module test harness, now split by
concern into the modules below. New code imports from those modules directly; the
lead removes this file once no test imports `harness` any more.
"""

from accept_proxy import AcceptProxy  # noqa: F401
from observd_process import Observd, Response, run_observd  # noqa: F401
from paths import default_templates, default_www, env_path, observd_bin, source_dir  # noqa: F401
from polling import DEFAULT_DEADLINE, timed, wait_until  # noqa: F401
from ports import free_port, listening_sockets  # noqa: F401
from prometheus_server import PrometheusServer, promtool_check_metrics  # noqa: F401
from promtext import metric, parse_metrics, series  # noqa: F401
from rawhttp import RawResponse, open_sse, raw_http  # noqa: F401
from redis_server import RedisServer  # noqa: F401
from resp import RedisError, RespClient  # noqa: F401
from seed import (DAY, HOUR, MIN, seed_default_dataset, seed_uploads, seed_users,  # noqa: F401
                  seed_workflow_runs)

__all__ = [
    "AcceptProxy",
    "Observd", "Response", "run_observd", "default_templates", "default_www", "env_path",
    "observd_bin", "source_dir", "DEFAULT_DEADLINE", "timed", "wait_until", "free_port",
    "listening_sockets", "PrometheusServer", "promtool_check_metrics", "metric",
    "parse_metrics", "series", "RawResponse", "open_sse", "raw_http", "RedisServer",
    "RedisError", "RespClient", "DAY", "HOUR", "MIN", "seed_default_dataset", "seed_uploads",
    "seed_users", "seed_workflow_runs", "_default_www", "_default_templates",
    "RedisServerWithArgs",
]

# Old spellings still used by tests written against the single module.
_default_www = default_www
_default_templates = default_templates
RedisServerWithArgs = RedisServer
