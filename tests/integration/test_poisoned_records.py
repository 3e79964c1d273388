"""One poisoned record costs one row, never the counts: a 100 MB field, a hash of
100,000 fields, and a million-member set where an upload hash should be, each as the
newest upload and each scored far in the future. observd reads a new record at once
(HMGET of its known fields) on the table's own connection, whose replies are cut at
1 MiB; a reply cut there makes it read the table again at once, measuring every record
first (OBJECT ENCODING + MEMORY USAGE, then HSTRLEN of each known field when the record
is not a small compact hash). So the refresh keeps succeeding, the application gauges
stay, the bytes Redis sends per refresh stay bounded, and the row says why it shows "—"
(issue 20). A record that grows after it was read costs the same; a 100 MB member of
the timeline itself costs the table (it has no row to give), never a refresh or the
gauges."""

import time
import unittest

from itbase import ObservdTestCase, metric, seed_default_dataset, wait_until

HUNDRED_MB = 100 * 1024 * 1024
FILL_SET = "for i = 1, tonumber(ARGV[1]) do redis.call('SADD', KEYS[1], i) end return 1"
FILL_HASH = ("for i = 1, tonumber(ARGV[1]) do redis.call('HSET', KEYS[1], 'f' .. i, i) end "
             "return 1")


CONFIG = {"cache": {"ttl": "1s", "stale_after": "3s"}, "redis": {"command_timeout": "2s"}}


class PoisonedRecordsTest(ObservdTestCase):
    def setUp(self):
        self.redis = self.start_redis()
        seed_default_dataset(self.redis)
        # A command timeout that the test's own poisoning (a 100 MB value written by one
        # EVAL, which blocks Redis for a while) does not outlast; the replies are bounded
        # by size, not by this timeout.
        self.o = self.start_observd(redis=self.redis, config=CONFIG)

    def refreshes(self, outcome):
        return metric(self.o.metrics(), "observd_snapshot_refreshes_total", 0, outcome=outcome)

    def fresh_snapshot(self):
        """Waits for two more computed refreshes (the second began after the poison)."""
        start = self.refreshes("computed")
        wait_until(lambda: self.refreshes("computed") >= start + 2, timeout=30,
                   message=lambda: self.o.stderr()[-2000:])

    def poison(self, shape, score, uid="poison"):
        key = "upload:" + uid
        if shape == "100 MB field":
            self.redis.cli("SETRANGE", "bigvalue", HUNDRED_MB - 1, "x")
            # HSET from a 100 MB value without sending it through the test's client.
            self.redis.cli("EVAL", "redis.call('HSET', KEYS[1], 'filename', "
                           "redis.call('GET', KEYS[2])) return 1", 2, key, "bigvalue")
            self.redis.cli("DEL", "bigvalue")
        elif shape == "100,000-field hash":
            self.redis.cli("EVAL", FILL_HASH, 1, key, 100000)
        else:
            self.redis.cli("EVAL", FILL_SET, 1, key, 1000000)
        self.redis.cli("ZADD", "uploads:timeline", "%.3f" % score, uid)

    def bytes_per_refresh(self):
        """After two computed refreshes (the poison seen), the bytes Redis sent per
        refresh over two more; no refresh may fail meanwhile."""
        failed_before = self.refreshes("failed")
        self.fresh_snapshot()
        out_before = int(self.redis.info("stats")["total_net_output_bytes"])
        computed_before = self.refreshes("computed")
        self.fresh_snapshot()
        refreshes = self.refreshes("computed") - computed_before
        sent = int(self.redis.info("stats")["total_net_output_bytes"]) - out_before
        self.assertEqual(self.refreshes("failed"), failed_before, self.o.stderr()[-2000:])
        return sent / max(1, refreshes)

    def check(self, shape, score, uid):
        total_before = int(self.redis.cli("ZCARD", "uploads:timeline"))
        self.poison(shape, score, uid)
        per_refresh = self.bytes_per_refresh()
        m = self.o.metrics()
        self.assertEqual(metric(m, "observd_app_uploads"), total_before + 1,
                         "the counts must survive one bad record")
        # A field over the bound and a set where a hash should be are counted skips whose
        # row says why; neither costs the counts. (The 100,000-field hash's known fields
        # are small: it is read.)
        oversized = shape == "100 MB field"
        wrong_type = shape == "million-member set"
        self.assertEqual(metric(m, "observd_snapshot_skipped_records"),
                         1 if oversized or wrong_type else 0)
        # A refresh reads counts, 100 ids and 100 small records: far below a MB.
        self.assertLess(per_refresh, 256 * 1024, "bytes from Redis a refresh")
        body = self.o.get("/dashboard/api/recent-uploads-html?limit=100").body.decode()
        row = body[body.index('data-upload-id="%s"' % uid):]
        row = row[:row.index("</tr>")]
        self.assertIn("—", row)
        if oversized:
            self.assertIn("not read: its filename is %d bytes" % HUNDRED_MB, row)
        if wrong_type:
            self.assertIn("not read: the key is not a hash (WRONGTYPE)", row)
        # Rows of good records are still read and shown.
        self.assertIn("file-h0.bin", body)
        self.assertTrue(self.o.running(), self.o.stderr())

    def test_each_poisoned_shape_costs_one_row(self):
        n = 0
        for shape in ("100 MB field", "100,000-field hash", "million-member set"):
            for where, score in (("newest", time.time()), ("far future", time.time() + 3e8)):
                n += 1
                uid = "poison-%d" % n  # upload ids are never reused
                with self.subTest(shape=shape, where=where):
                    try:
                        self.check(shape, score, uid)
                    finally:
                        self.redis.cli("DEL", "upload:" + uid)
                        self.redis.cli("ZREM", "uploads:timeline", uid)

    def test_a_record_that_grows_after_it_was_read_costs_the_table_not_the_gauges(self):
        """A record read before is trusted (one HMGET a refresh): when it grows to 100 MB,
        that HMGET's reply passes the table connection's bound and drops that connection.
        The same refresh reads the table again, every record measured first, and the row
        says why it shows "—"; the table never says it could not be read, and the counts,
        on their own connection, never fail (the gauges stay through stale_after = 3 s)."""
        # Processing: read at every refresh (a stored one would be read again only a
        # settle period later, and the same would happen then). An observd that never
        # saw it stored.
        self.redis.cli("HSET", "upload:h0", "status", "processing")
        o = self.start_observd(redis=self.redis, config=CONFIG)
        self.o = o
        self.fresh_snapshot()  # upload:h0 has been read: trusted now
        failed_before = self.refreshes("failed")
        self.redis.cli("SETRANGE", "bigvalue", HUNDRED_MB - 1, "x")
        self.redis.cli("EVAL", "redis.call('HSET', KEYS[1], 'filename', "
                       "redis.call('GET', KEYS[2])) return 1", 2, "upload:h0", "bigvalue")
        self.redis.cli("DEL", "bigvalue")
        note = "not read: its filename is %d bytes" % HUNDRED_MB
        gauges = []
        failed_tables = []  # (polling treats an exception as "not yet": collected instead)

        def row_says_why():
            gauges.append(metric(o.metrics(), "observd_app_uploads"))
            body = o.get("/dashboard/api/recent-uploads-html?limit=100").body.decode()
            failed_tables.extend(["could not be read"] if "could not be read" in body else [])
            if 'data-upload-id="h0"' not in body:
                return None
            row = body[body.index('data-upload-id="h0"'):]
            return body if note in row[:row.index("</tr>")] else None
        body = wait_until(row_says_why, timeout=60, interval=0.3,
                          message=lambda: o.stderr()[-2000:])
        self.assertEqual(set(gauges), {12}, "the gauges stayed through the failure")
        self.assertEqual(failed_tables, [], "the table was read again in the same refresh")
        self.assertEqual(self.refreshes("failed"), failed_before, o.stderr()[-2000:])
        self.assertIn("file-d0.bin", body)
        self.assertLess(self.bytes_per_refresh(), 256 * 1024, "bytes from Redis a refresh")
        self.assertEqual(metric(o.metrics(), "observd_snapshot_skipped_records"), 1)
        self.assertTrue(o.running(), o.stderr())

    def test_a_huge_member_of_the_timeline_costs_the_table_not_the_counts(self):
        """No command bounds a sorted set member's size: the timeline read (ZREVRANGE)
        is cut at the table connection's bound instead. The table says it could not be
        read (there is no id to give a row), the counts and gauges stay, and Redis sends
        a few MB a refresh (what the sockets' buffers take), not 100 MB."""
        total_before = int(self.redis.cli("ZCARD", "uploads:timeline"))
        for where, score in (("newest", time.time()), ("far future", time.time() + 3e8)):
            with self.subTest(where=where):
                self.redis.cli("SETRANGE", "bigvalue", HUNDRED_MB - 1, "x")
                self.redis.cli("EVAL", "redis.call('ZADD', KEYS[1], ARGV[1], "
                               "redis.call('GET', KEYS[2])) return 1", 2, "uploads:timeline",
                               "bigvalue", "%.3f" % score)
                self.redis.cli("DEL", "bigvalue")
                try:
                    per_refresh = self.bytes_per_refresh()
                    m = self.o.metrics()
                    self.assertEqual(metric(m, "observd_app_uploads"), total_before + 1)
                    self.assertLess(per_refresh, 16 * 1024 * 1024, "bytes from Redis a refresh")
                    body = self.o.get("/dashboard/api/recent-uploads-html?limit=100").text
                    self.assertIn("could not be read", body)
                    self.assertIn("a reply over 1024 KiB", body)
                    self.assertTrue(self.o.running(), self.o.stderr())
                finally:
                    # Removed by its score, without sending it back.
                    self.redis.cli("ZREMRANGEBYSCORE", "uploads:timeline", "%.3f" % score,
                                   "%.3f" % score)
                self.assertEqual(int(self.redis.cli("ZCARD", "uploads:timeline")), total_before)
                # Once the member is gone, the table is read again.
                wait_until(lambda: "file-h0.bin" in self.o.get(
                    "/dashboard/api/recent-uploads-html?limit=100").text, timeout=30)
        lines = [l for l in self.o.stderr().splitlines() if "reply too large" in l]
        self.assertEqual(len(lines), 2, lines)  # once per poisoning: logged until it fits

    def test_a_configured_get_of_a_huge_value_costs_only_its_gauge(self):
        o = self.start_observd(redis=self.redis, config={
            **CONFIG,
            "queries": [{"name": "observd_app_blob", "kind": "get", "key": "blob"},
                        {"name": "observd_app_temp", "kind": "get", "key": "temp"}]})
        self.redis.cli("SET", "temp", "21.5")
        self.redis.cli("SETRANGE", "blob", HUNDRED_MB - 1, "x")
        self.o = o
        failed_before = self.refreshes("failed")
        self.fresh_snapshot()
        m = o.metrics()
        self.assertEqual(self.refreshes("failed"), failed_before, o.stderr()[-2000:])
        self.assertEqual(metric(m, "observd_app_temp"), 21.5)
        self.assertEqual(metric(m, "observd_app_uploads"), 12)
        blob = metric(m, "observd_app_blob")
        self.assertTrue(blob is None or blob != blob, "a 100 MB value exported as %r" % blob)

    def test_a_huge_value_under_the_shared_key_costs_a_miss(self):
        self.redis.cli("SETRANGE", "observd:snapshot:v1", HUNDRED_MB - 1, "x")
        failed_before = self.refreshes("failed")
        self.fresh_snapshot()
        self.assertEqual(self.refreshes("failed"), failed_before, self.o.stderr()[-2000:])
        self.assertEqual(metric(self.o.metrics(), "observd_app_uploads"), 12)
        # observd's next computation replaced it with a snapshot of normal size.
        self.assertLess(int(self.redis.cli("STRLEN", "observd:snapshot:v1")), 1024 * 1024)

    def test_the_skip_is_logged_once(self):
        self.poison("100 MB field", time.time())
        self.fresh_snapshot()
        self.fresh_snapshot()
        lines = [l for l in self.o.stderr().splitlines() if "upload:poison" in l]
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("bytes", lines[0])


if __name__ == "__main__":
    unittest.main()
