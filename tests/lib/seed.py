"""Writes the Redis data contract of DESIGN.md (uploads, active users, workflow
runs) into a test's redis-server, and the default dataset with the exact values
observd must export for it. Not thread-safe: uses the server's shared client.
"""

import time

from resp import RedisError

__all__ = ["MIN", "HOUR", "DAY", "seed_uploads", "seed_users", "seed_workflow_runs",
           "seed_default_dataset"]

MIN = 60
HOUR = 3600
DAY = 86400


def seed_uploads(redis, uploads, now=None, timeline="uploads:timeline", prefix="upload:"):
    """Writes uploads: a list of dicts with `id`, `age` (seconds before now) and
    optional hash fields (filename, size, content_type, user, status, created_at;
    None drops the field) plus `extra` fields. A dict with `hash: None` gets a
    timeline entry but no hash. Returns `now`.
    """
    now = time.time() if now is None else now
    cmds = []
    for u in uploads:
        uid = str(u["id"])
        ts = now - u["age"]
        cmds.append(["ZADD", timeline, "%.3f" % ts, uid])
        if u.get("hash", True) is None:
            continue
        fields = {"filename": "file-%s.bin" % uid, "size": "1024",
                  "content_type": "application/octet-stream", "user": "user-1",
                  "status": "stored", "created_at": str(int(ts))}
        for k in ("filename", "size", "content_type", "user", "status", "created_at"):
            if k in u:
                fields[k] = u[k]
        fields = {k: v for k, v in fields.items() if v is not None}
        fields.update(u.get("extra", {}))
        if not fields:
            continue
        args = ["HSET", prefix + uid]
        for k, v in fields.items():
            args += [k, v]
        cmds.append(args)
    for reply in redis.pipeline(cmds):
        if isinstance(reply, RedisError):
            raise reply
    return now


def seed_users(redis, user_ids, key="users:active"):
    if user_ids:
        redis.cli("SADD", key, *[str(u) for u in user_ids])


def seed_workflow_runs(redis, status, ages, now=None, prefix="workflows:runs:"):
    """Adds one run per age (seconds before now) to workflows:runs:<status>."""
    now = time.time() if now is None else now
    if ages:
        args = ["ZADD", prefix + status]
        for i, age in enumerate(ages):
            args += ["%.3f" % (now - age), "%s-run-%d" % (status, i)]
        redis.cli(*args)
    return now


def seed_default_dataset(redis, now=None):
    """A dataset with well-separated timestamps (no value sits near a window
    edge) and the exact values observd must export for it."""
    now = time.time() if now is None else now
    uploads = []
    # 4 in the last hour, 3 more in the last day, 5 older than a day.
    for i, age in enumerate([30, 5 * MIN, 20 * MIN, 40 * MIN]):
        uploads.append({"id": "h%d" % i, "age": age})
    for i, age in enumerate([2 * HOUR, 6 * HOUR, 20 * HOUR]):
        uploads.append({"id": "d%d" % i, "age": age})
    for i, age in enumerate([2 * DAY, 3 * DAY, 10 * DAY, 30 * DAY, 90 * DAY]):
        uploads.append({"id": "o%d" % i, "age": age})
    seed_uploads(redis, uploads, now=now)
    seed_users(redis, ["u%d" % i for i in range(7)])
    seed_workflow_runs(redis, "succeeded", [10 * MIN, 50 * MIN, 3 * HOUR, 2 * DAY], now=now)
    seed_workflow_runs(redis, "failed", [15 * MIN, 12 * HOUR, 23 * HOUR], now=now)
    seed_workflow_runs(redis, "running", [2 * MIN], now=now)
    return {
        "uploads": 12, "uploads_1h": 4, "uploads_24h": 7, "active_users": 7,
        "runs": {"succeeded": {"1h": 2, "24h": 3}, "failed": {"1h": 1, "24h": 3},
                 "running": {"1h": 1, "24h": 1}},
    }
