"""Reads a /metrics body the way a stranger would: with the official Prometheus
Python client's text-format parser (Debian python3-prometheus-client), not with a
parser of our own, so a bug in observd's writer cannot hide behind a matching bug
in the reader.

Owns parse_metrics() (body -> {(name, frozenset(labels)): value}), metric() and
series(). Pure; thread-safe.
"""

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError as exc:  # pragma: no cover - environment problem, say what to do
    raise ImportError("the tests read /metrics with python3-prometheus-client: install it "
                      "(tests/deps-test.txt) and run them with /usr/bin/python3") from exc

__all__ = ["parse_metrics", "metric", "series"]


def parse_metrics(text):
    """Parses Prometheus text format 0.0.4 into {(name, frozenset(labels)): value}.

    Raises ValueError on a line the official parser refuses and on a series that
    appears twice, so malformed output fails tests.
    """
    out = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            key = (sample.name, frozenset(sample.labels.items()))
            if key in out:
                raise ValueError("duplicate series %s%s" % (sample.name, sample.labels))
            out[key] = float(sample.value)
    return out


def metric(metrics, name, default=None, **labels):
    """The value of one series, or `default` when it is absent."""
    return metrics.get((name, frozenset(labels.items())), default)


def series(metrics, name):
    """All series of one metric name: [(labels_dict, value)]."""
    return [(dict(k[1]), v) for k, v in metrics.items() if k[0] == name]
