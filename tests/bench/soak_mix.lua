-- soak_mix.lua: wrk request mix for tests/bench/soak.sh. Every connection walks the
-- same list (starting at a different place), so each round hits scrapes, the three
-- partials, the JSON API, the pages and a static file in fixed proportions. Half of
-- the /metrics requests ask for gzip, as Prometheus does.
local paths = {
  {"/metrics", {["Accept-Encoding"] = "gzip"}},
  {"/dashboard/api/stats-html", {["HX-Request"] = "true"}},
  {"/dashboard/api/recent-uploads-html?limit=10", {["HX-Request"] = "true"}},
  {"/dashboard/api/metrics-html", {["HX-Request"] = "true"}},
  {"/dashboard/api/stats", {}},
  {"/dashboard/api/history", {}},
  {"/metrics", {}},
  {"/dashboard/api/stats-html", {["HX-Request"] = "true"}},
  {"/dashboard/api/recent-uploads-html?limit=100", {["HX-Request"] = "true"}},
  {"/", {}},
  {"/dashboard/observability", {}},
  {"/dashboard/uploads", {}},
  {"/static/css/site.css", {["Accept-Encoding"] = "gzip"}},
}

local requests = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 7)
end

function init(args)
  for i, p in ipairs(paths) do
    requests[i] = wrk.format("GET", p[1], p[2])
  end
  n = offset or 0
end

function request()
  n = n + 1
  return requests[(n % #requests) + 1]
end
