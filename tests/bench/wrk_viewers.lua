-- wrk_viewers.lua: one wrk connection = one dashboard tab on keep-alive, for
-- tests/bench/capacity.py --big-viewers (method: tests/bench/README.md).
--
--   wrk -t1 -c1000 -d75s --timeout 10s -s wrk_viewers.lua https://127.0.0.1:PORT \
--       -- <first poll not before> <measured from> <measured until> [interval ms]
--   (times in unix seconds)
--
-- A tab polls the stats partial every 5 s and the uploads and metrics partials every
-- 10 s each: 4 requests per 10 s, so every connection sends one request, then waits
-- delay() ~= 2.5 s (uniform 2.25-2.75 s, so connections don't fire in lockstep). The
-- paths rotate stats, uploads, stats, metrics. wrk's hooks don't say which connection
-- calls them, so the rotation is per wrk thread: every thread sends exactly the
-- browser's 2:1:1 mix; each connection gets a shuffle of it.
--
-- wrk opens all its connections (TLS handshakes) at once; a connection's first delay()
-- comes right after its handshake. It waits until the first-poll time (argument 1)
-- plus a random phase of one interval, so that the tabs don't poll in lockstep and the
-- latencies this wrk reports leave its own handshake burst out (never longer than 9 s:
-- nginx closes a fresh connection that sends nothing for client_header_timeout, 10 s;
-- a connection whose handshake ends later polls one interval after it). Responses are
-- also counted apart between arguments 2 and 3 (the measurement).
--
-- done() prints one JSON line on stdout: wrk's totals, socket errors, latency
-- percentiles (ms), status codes, X-Cache-Status values, gzip answers, and the
-- responses / non-2xx answers of the measurement.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } observd_timespec;
  int clock_gettime(int clk, observd_timespec *ts);
]]
local ts = ffi.new("observd_timespec")
local function now()  -- unix seconds (CLOCK_REALTIME), as capacity.py's time.time()
  ffi.C.clock_gettime(0, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

-- The headers htmx 2 (in Chromium over HTTPS) sends with a poll. nginx's cache key
-- uses $http_hx_request; observd answers gzip for Accept-Encoding with gzip and marks
-- the partials "Vary: Accept-Encoding", so nginx keeps one entry per exact
-- Accept-Encoding string: this is Chromium's, the same entry a browser tab hits.
local HEADERS = {
  ["Accept"] = "*/*",
  ["Accept-Encoding"] = "gzip, deflate, br, zstd",
  ["HX-Request"] = "true",
  ["HX-Current-URL"] = nil,  -- set in init(): https://host/dashboard/observability
}
local PATHS = {
  "/dashboard/api/stats-html",
  "/dashboard/api/recent-uploads-html?limit=10",
  "/dashboard/api/stats-html",
  "/dashboard/api/metrics-html",
}

local threads = {}
local thread_no = 0

function setup(thread)
  thread_no = thread_no + 1
  thread:set("id", thread_no)
  table.insert(threads, thread)
end

-- Per-thread state (each wrk thread has its own Lua state).
local requests, warm_end, interval = {}, 0, 2500
local MAX_FIRST_WAIT_MS = 9000
local measure_from, measure_to = 0, 0
issued, responses, gzipped, delays, early, connected_at = 0, 0, 0, 0, 0, 0
measured, measured_bad = 0, 0  -- responses / non-2xx answers in the measurement
codes, caches = "", ""  -- the status codes / cache states seen ("200,304"); counts in
                        -- globals s_<code> / c_<state> (wrk copies tables between
                        -- thread states wrongly, so only numbers and strings cross)

function init(args)
  warm_end = tonumber(args[1]) or now()
  measure_from = tonumber(args[2]) or 0
  measure_to = tonumber(args[3]) or math.huge
  interval = tonumber(args[4]) or 2500
  math.randomseed(math.floor(now() * 1000) % 1000003 + (id or 0) * 7919)
  local h = {}
  for k, v in pairs(HEADERS) do h[k] = v end
  h["HX-Current-URL"] = wrk.scheme .. "://" .. wrk.headers["Host"] .. "/dashboard/observability"
  for i, p in ipairs(PATHS) do
    requests[i] = wrk.format("GET", p, h)
  end
  n = (id or 0) % #PATHS
end

function delay()
  delays = delays + 1
  local t = now()
  if t < warm_end then
    -- A connection's first delay: its handshake is done; start after the warm-up.
    early = early + 1
    connected_at = math.max(connected_at, t)
    -- nginx closes a fresh connection that sends nothing for client_header_timeout
    -- (10 s in the shipped site); a browser sends at once, so never wait that long.
    return math.min((warm_end - t) * 1000 + math.random() * interval, MAX_FIRST_WAIT_MS)
  end
  return interval * (0.9 + 0.2 * math.random())
end

function request()
  issued = issued + 1
  n = n + 1
  return requests[(n % #requests) + 1]
end

local function bump(list_name, prefix, key)
  local g = prefix .. key
  local v = _G[g]
  if v == nil then
    _G[list_name] = _G[list_name] .. (_G[list_name] == "" and "" or ",") .. key
    v = 0
  end
  _G[g] = v + 1
end

function response(status, headers, body)
  responses = responses + 1
  local t = now()
  if t >= measure_from and t < measure_to then
    measured = measured + 1
    if status < 200 or status > 299 then measured_bad = measured_bad + 1 end
  end
  bump("codes", "s_", tostring(status))
  bump("caches", "c_", headers["X-Cache-Status"] or "none")
  if headers["Content-Encoding"] == "gzip" then gzipped = gzipped + 1 end
end

local function json_counts(t)
  local parts = {}
  for k, v in pairs(t) do parts[#parts + 1] = string.format("%q:%d", k, v) end
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, reqs)
  local sum = {issued = 0, responses = 0, gzipped = 0, delays = 0, early = 0, measured = 0,
               measured_bad = 0}
  local statuses, cache, connected_at_max = {}, {}, 0
  for _, t in ipairs(threads) do
    for k in pairs(sum) do sum[k] = sum[k] + t:get(k) end
    for code in string.gmatch(t:get("codes"), "[^,]+") do
      statuses[code] = (statuses[code] or 0) + t:get("s_" .. code)
    end
    for state in string.gmatch(t:get("caches"), "[^,]+") do
      cache[state] = (cache[state] or 0) + t:get("c_" .. state)
    end
    connected_at_max = math.max(connected_at_max, t:get("connected_at"))
  end
  local e = summary.errors
  io.write(string.format(
    '{"duration_s":%.3f,"requests":%d,"bytes":%d,' ..
    '"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},"status_errors":%d,' ..
    '"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f,' ..
    '"statuses":%s,"cache":%s,"gzipped":%d,"issued":%d,"responses":%d,' ..
    '"connected_in_warmup":%d,"delays":%d,"last_connect_unix":%.3f,' ..
    '"measured":%d,"measured_bad":%d}\n',
    summary.duration / 1e6, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
    json_counts(statuses), json_counts(cache), sum.gzipped, sum.issued, sum.responses,
    sum.early, sum.delays, connected_at_max, sum.measured, sum.measured_bad))
end
