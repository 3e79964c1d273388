"""The history store (history.path) with a real SQLite file, read back by observd after a
restart and, independently, by Python's sqlite3 module (the SQLite library itself,
not observd's code): what survives a clean stop and a kill -9, the restart marks, the
window API (?from=&to=), and the faults (a file that is not a database, a newer
schema, another process holding the lock) that must cost the history only, never the
live data, with one clear log line."""

import os
import shutil
import sqlite3
import subprocess
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
        # /metrics and the history store panel say it too.
        m = o.metrics()
        self.assertEqual(metric(m, "observd_history_store_up"), 1)
        self.assertGreaterEqual(metric(m, "observd_history_store_size_bytes"),
                                os.path.getsize(self.path))
        panel = o.get("/dashboard/api/history-store-html")
        self.assertEqual(panel.status, 200)
        self.assertIn("Kept on disk", panel.text)
        self.assertIn(self.path, panel.text)
        # An empty store has no oldest minute: history begins with this process, not 1970.
        self.assertGreaterEqual(h["history_since"], h["started_at"] - 5)
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
        self.assertGreaterEqual(h2["history_since"], first_start - 120)  # not 0 (1970)
        seen = [b for b in h2["latency_buckets"] if b[1] > 0]
        self.assertGreaterEqual(len(seen), 1)
        # Every bucket of the window is listed in requests; the unobserved are null.
        steps = {b[0] for b in h2["requests"]}
        self.assertEqual(len(steps), len(h2["requests"]))

        # The CSV of a window reaching back before the restart exports that window, read
        # from the store: per-minute rows over two hours, the first process's included.
        window = "from=%d&to=%d" % (first_start - 7200, time.time() + 1)
        csv = o2.get("/dashboard/api/history.csv?series=latency&" + window)
        self.assertEqual(csv.status, 200, csv.text)
        self.assertIn("redis-latency-per-minute", csv.header("Content-Disposition"))
        lines = csv.text.split("\r\n")
        self.assertEqual(lines[0], "time,pings,failed,min_ms,mean_ms,max_ms,p99_ms")
        self.assertGreaterEqual(len(lines), 120)  # every minute of the two hours
        # The first process ran a few seconds: its minute (or the next, across a boundary).
        minutes = {time.strftime("%Y-%m-%dT%H:%M:00Z", time.gmtime(first_start + d))
                   for d in (0, 60)}
        first = [l.split(",") for l in lines[1:] if l[:20] in minutes]
        self.assertTrue(any(r[1] and int(r[1]) > 0 for r in first), (first, lines[-5:]))
        self.assertTrue(any(l.endswith(",,,,,,") for l in lines), "unobserved minutes empty")
        events = o2.get("/dashboard/api/annotations.csv?" + window)
        self.assertEqual(events.status, 200, events.text)
        rows = events.text.split("\r\n")
        self.assertEqual(rows[0], "start,end,kind,text")
        self.assertEqual(len([r for r in rows if ",restart,observd started" in r]), 2, rows)

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
        self.assertEqual(metric(o.metrics(), "observd_history_store_up"), 0)
        self.assertIsNone(metric(o.metrics(), "observd_history_store_size_bytes"))
        self.assertIn("Not being kept", o.get("/dashboard/api/history-store-html").text)
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

    def mounted_tmpfs(self, size):
        """A tmpfs of `size` (e.g. "256k") for the store, or a skip where mounting is
        not allowed (not root, or no CAP_SYS_ADMIN)."""
        mnt = tempfile.mkdtemp(prefix="observd-tmpfs-")
        self.addCleanup(shutil.rmtree, mnt, True)
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mnt],
                           capture_output=True, text=True)
        if r.returncode != 0:
            self.skipTest("cannot mount a tmpfs here: " + r.stderr.strip())
        self.addCleanup(subprocess.run, ["umount", "-l", mnt], capture_output=True)
        return mnt

    def stop_and_store_lines(self, o):
        self.stop_observd(o)  # exit 0 whatever the disk did
        return [l for l in o.stderr().splitlines() if "history store" in l]

    def test_a_full_disk_is_one_log_line_and_a_clean_exit(self):
        mnt = self.mounted_tmpfs("512k")
        o = self.observd(path=os.path.join(mnt, "history.db"))
        self.wait_samples(o, 3)
        fd = os.open(os.path.join(mnt, "filler"), os.O_WRONLY | os.O_CREAT)
        try:  # the disk fills up
            while True:
                os.write(fd, b"x" * 4096)
        except OSError:
            pass
        finally:
            os.close(fd)
        self.assertEqual(metric(o.metrics(), "observd_redis_up"), 1)
        lines = self.stop_and_store_lines(o)  # the last write at the stop hits the full disk
        self.assertEqual(len(lines), 1, lines)
        self.assertRegex(lines[0], "full|disk I/O")

    def test_a_read_only_store_costs_the_history_only(self):
        o = self.observd()
        self.wait_samples(o, 2)
        self.stop_observd(o)
        ro = tempfile.mkdtemp(prefix="observd-ro-")
        self.addCleanup(shutil.rmtree, ro, True)
        r = subprocess.run(["mount", "--bind", self.dir, ro], capture_output=True, text=True)
        if r.returncode != 0:
            self.skipTest("cannot bind-mount here: " + r.stderr.strip())
        self.addCleanup(subprocess.run, ["umount", "-l", ro], capture_output=True)
        r = subprocess.run(["mount", "-o", "remount,bind,ro", ro], capture_output=True, text=True)
        if r.returncode != 0:
            self.skipTest("cannot make a bind mount read-only here: " + r.stderr.strip())
        o2 = self.observd(path=os.path.join(ro, "history.db"))
        h = self.history(o2)
        self.assertEqual(h["store"]["state"], "failed")
        self.assertRegex(h["store"]["message"], "readonly|read-only|unable to open")
        self.assertEqual(metric(o2.metrics(), "observd_redis_up"), 1)
        lines = self.stop_and_store_lines(o2)
        self.assertEqual(len(lines), 1, lines)

    def test_closed_application_buckets_are_kept_across_a_restart(self):
        now = time.time()
        query = "?from=%d&to=%d" % (now - 7 * 86400, now)
        o = self.observd()
        first = self.history(o, query)
        self.stop_observd(o)  # writes the queued buckets
        kept = self.rows("SELECT count(*) FROM app_buckets WHERE step = 600")[0][0]
        self.assertGreater(kept, 1000)  # every closed 10-minute bucket of each series
        o2 = self.observd()
        before = self.redis.cli("INFO", "commandstats")
        second = self.history(o2, query)
        after = self.redis.cli("INFO", "commandstats")

        def zcounts(info):
            text = info.decode() if isinstance(info, bytes) else str(info)
            for line in text.splitlines():
                if line.startswith("cmdstat_zcount:"):
                    return int(line.split("calls=")[1].split(",")[0])
            return 0
        # Only the open and trailing buckets are counted again (5 series' worth at most).
        self.assertLess(zcounts(after) - zcounts(before), 100)
        closed = [p for p in first["uploads"] if p[0] + 600 < now - 600]
        self.assertEqual([p for p in second["uploads"] if p in closed], closed)

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
