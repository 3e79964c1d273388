"""The history store (history.path) with a real SQLite file, read back by observd after a
restart and, independently, by Python's sqlite3 module (the SQLite library itself,
not observd's code): what survives a clean stop and a kill -9, the restart marks, the
window API (?from=&to=), and the faults (a file that is not a database, a newer
schema, another process holding the lock) that must cost the history only, never the
live data, with one clear log line."""

import os
import shutil
import sqlite3
import tempfile
import time
import unittest

from itbase import ObservdTestCase, metric, seed_default_dataset
from polling import wait_until


class HistoryStoreTest(ObservdTestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="observd-history-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.path = os.path.join(self.dir, "history.db")
        self.redis = self.start_redis()
        seed_default_dataset(self.redis)

    def observd(self, path=None, **kwargs):
        return self.start_observd(redis=self.redis,
                                  config={"history": {"path": path or self.path}}, **kwargs)

    def history(self, o, query=""):
        r = o.get("/dashboard/api/history" + query)
        self.assertEqual(r.status, 200, r.text)
        return r.json()

    def wait_samples(self, o, n):
        wait_until(lambda: len(self.history(o)["latency"]["points"]) >= n, timeout=20,
                   message="fewer than %d latency samples" % n)

    def rows(self, sql):
        db = sqlite3.connect("file:%s?mode=ro" % self.path, uri=True)
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()

    def test_a_clean_stop_keeps_everything_and_a_restart_shows_it_with_marks(self):
        o = self.observd()
        self.wait_samples(o, 3)
        h = self.history(o)
        self.assertEqual(h["store"]["state"], "ok", h["store"])
        before = [p for p in h["latency"]["points"]]
        first_start = h["started_at"]
        self.stop_observd(o)

        # An independent reader: the file is an SQLite database in WAL mode, with the rows.
        self.assertEqual(self.rows("PRAGMA journal_mode"), [("wal",)])
        self.assertGreaterEqual(self.rows("SELECT count(*) FROM latency")[0][0], len(before))
        self.assertGreaterEqual(self.rows("SELECT count(*) FROM minutes")[0][0], 1)
        self.assertEqual(self.rows("SELECT kind, text FROM annotations")[0],
                         ("restart", "observd started"))

        o2 = self.observd()
        h2 = self.history(o2, "?from=%d&to=%d" % (first_start - 60, time.time() + 1))
        self.assertEqual(h2["window"]["step"], 60)
        times = {p[0] for p in h2["latency"]["points"]}
        self.assertTrue({p[0] for p in before} <= times, "pre-restart samples missing")
        restarts = [a for a in h2["annotations"] if a["kind"] == "restart"]
        self.assertEqual(len(restarts), 2, h2["annotations"])
        self.assertTrue(all(a["text"] for a in restarts))
        self.assertLessEqual(h2["history_since"], first_start + 60)
        seen = [b for b in h2["latency_buckets"] if b[1] > 0]
        self.assertGreaterEqual(len(seen), 1)
        # Every bucket of the window is listed in requests; the unobserved are null.
        steps = {b[0] for b in h2["requests"]}
        self.assertEqual(len(steps), len(h2["requests"]))

    def test_kill_9_loses_at_most_the_last_minute(self):
        o = self.observd()
        # Wait until a whole minute has been written (up to ~62 s: rows are written once
        # a minute, which is what this test is about).
        wait_until(lambda: os.path.exists(self.path)
                   and self.rows("SELECT count(*) FROM minutes")[0][0] >= 1,
                   timeout=80, interval=1, message="no minute written within 80 s")
        written = self.rows("SELECT max(t) FROM minutes")[0][0]
        o.kill()
        o2 = self.observd()
        h = self.history(o2, "?from=%d&to=%d" % (written - 120, time.time() + 1))
        self.assertIn(written, [b[0] for b in h["latency_buckets"]])

    def test_a_file_that_is_not_a_database_costs_the_history_only(self):
        with open(self.path, "wb") as f:
            f.write(b"this is not a database" * 500)
        o = self.observd()
        h = self.history(o)
        self.assertEqual(h["store"]["state"], "failed")
        self.assertIn(self.path, h["store"]["message"])
        self.assertEqual(metric(o.metrics(), "observd_redis_up"), 1)  # live data still served
        self.wait_samples(o, 2)
        lines = [l for l in o.stderr().splitlines() if "history store" in l]
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("not a database", lines[0])
        with open(self.path, "rb") as f:
            self.assertTrue(f.read().startswith(b"this is not a database"))  # untouched

    def test_a_store_from_a_newer_version_is_refused_clearly(self):
        db = sqlite3.connect(self.path)
        db.execute("PRAGMA application_id = %d" % 0x6f627364)
        db.execute("PRAGMA user_version = 99")
        db.close()
        o = self.observd()
        h = self.history(o)
        self.assertEqual(h["store"]["state"], "failed")
        self.assertIn("newer observd (schema 99", h["store"]["message"])

    def test_another_process_holding_the_lock_never_blocks_a_request(self):
        o = self.observd()
        self.wait_samples(o, 2)
        # Another process writing (a backup tool, an operator's sqlite3 shell): it holds
        # the write lock; observd's writer waits for it on its own thread (bounded; the
        # unit test covers the failed write), and readers are not held at all (WAL).
        holder = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            t0 = time.monotonic()
            h = self.history(o, "?from=%d&to=%d" % (time.time() - 7 * 86400, time.time()))
            self.assertLess(time.monotonic() - t0, 5)  # bounded: never the lock's lifetime
            self.assertEqual(h["window"]["step"], 600)
            self.assertEqual(h["store"]["state"], "ok")
            self.assertGreater(len(h["latency_buckets"]), 0)
            self.assertEqual(metric(o.metrics(), "observd_redis_up"), 1)
        finally:
            holder.execute("ROLLBACK")
            holder.close()

    def test_bad_windows_get_400(self):
        o = self.observd()
        for q in ("?from=abc", "?from=100&to=50", "?from=100&to=130",
                  "?from=0&to=%d" % (91 * 86400), "?to=-5"):
            r = o.get("/dashboard/api/history" + q)
            self.assertEqual(r.status, 400, q)
        h = self.history(o, "?from=%d&to=%d" % (time.time() - 7 * 86400, time.time()))
        self.assertEqual(h["window"]["step"], 600)
        self.assertLessEqual(len(h["requests"]), 1500)


if __name__ == "__main__":
    unittest.main()
