-- Mixed traffic for wrk: the four operations an HR platform sends, with latency per operation.
--
--   wrk -t2 -c32 -d60s --timeout 10s -s bench/load_mixed.lua http://127.0.0.1:8766 -- KEY_FILE BULK_DIR [RESULT_FILE [ONLY]]
--
-- Operations and their share of requests (each request draws one at random):
--   list       30%  GET  /api/v1/companies/
--   ladder     30%  GET  /api/v1/companies/{slug}/ladders/product-management/   (5 demo companies)
--   translate  35%  GET  /api/v1/translate?source=&target=&title=               (12 titles, 4 pairs)
--   bulk        5%  POST /api/v1/translate with 1,000 titles                    (BULK_DIR/bulk-*.json)
--
-- wrk measures latency for all requests together only. Per operation, each request carries an
-- X-Request-ID naming the operation and the moment it was sent (monotonic clock, microseconds); the
-- service returns the header unchanged, and response() takes the difference when the answer is in.
-- done() prints requests, p50/p90/p99/max and errors per operation, and writes them as JSON to
-- RESULT_FILE when one is given. ONLY (an operation name) sends that operation alone.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } pmladder_timespec;
int clock_gettime(int clk_id, pmladder_timespec *tp);
]])
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("pmladder_timespec")
local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000000 + math.floor(tonumber(timespec.tv_nsec) / 1000)
end

local OPERATIONS = { "list", "ladder", "translate", "bulk" }
local WEIGHTS = { list = 30, ladder = 30, translate = 35, bulk = 5 }

local COMPANIES = { "acme", "kitestring", "globex", "fernbrook", "parallax" }
local PAIRS = { { "globex", "parallax" }, { "acme", "globex" }, { "kitestring", "parallax" }, { "parallax", "globex" } }
local TITLES = {
  "Sr. PM", "Senior Product Manager", "Product Manager", "Principal Product Manager", "Director of Product",
  "Head of Product", "Sr. Product Mgr - Payments", "Group Product Manager", "VP of Product", "CPO",
  "Associate Product Manager", "Chief Product Officer",
}

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local function read_file(path)
  local f = assert(io.open(path, "rb"), "cannot open " .. path)
  local data = f:read("*a")
  f:close()
  return data
end

-- Per thread (each wrk thread runs its own copy of this script).
local key, bulk_bodies = nil, {}
local pick = {}
-- Globals, so that done() can read them from every thread with thread:get(). One flat table per
-- operation: wrk 4.1 crashes copying nested tables between threads.
lat_list, lat_ladder, lat_translate, lat_bulk = {}, {}, {}, {}
status_list, status_ladder, status_translate, status_bulk = {}, {}, {}, {}
local latencies = { list = lat_list, ladder = lat_ladder, translate = lat_translate, bulk = lat_bulk }
local statuses = { list = status_list, ladder = status_ladder, translate = status_translate, bulk = status_bulk }
unmatched = 0
result_file = ""

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  key = read_file(args[1]):gsub("%s+$", "")
  local dir = args[2]
  for i = 0, 63 do
    local f = io.open(string.format("%s/bulk-%d.json", dir, i), "rb")
    if not f then
      break
    end
    table.insert(bulk_bodies, f:read("*a"))
    f:close()
  end
  assert(#bulk_bodies > 0, "no bulk-N.json bodies in " .. dir)
  result_file = args[3] or ""
  local only = args[4]
  assert(not only or WEIGHTS[only], "unknown operation " .. tostring(only))
  for _, op in ipairs(OPERATIONS) do
    if not only or op == only then
      for _ = 1, WEIGHTS[op] do
        table.insert(pick, op)
      end
    end
  end
  math.randomseed(now_us() % 2147483647)
end

local function headers_for(op)
  return {
    ["Authorization"] = "Api-Key " .. key,
    ["Accept"] = "application/json",
    ["X-Request-ID"] = string.format("%s.%d", op, now_us()),
  }
end

function request()
  local op = pick[math.random(#pick)]
  local h = headers_for(op)
  if op == "list" then
    return wrk.format("GET", "/api/v1/companies/", h)
  elseif op == "ladder" then
    local slug = COMPANIES[math.random(#COMPANIES)]
    return wrk.format("GET", "/api/v1/companies/" .. slug .. "/ladders/product-management/", h)
  elseif op == "translate" then
    local pair = PAIRS[math.random(#PAIRS)]
    local title = TITLES[math.random(#TITLES)]
    local path = string.format(
      "/api/v1/translate?source=%s&target=%s&title=%s", pair[1], pair[2], urlencode(title)
    )
    return wrk.format("GET", path, h)
  else
    h["Content-Type"] = "application/json"
    return wrk.format("POST", "/api/v1/translate", h, bulk_bodies[math.random(#bulk_bodies)])
  end
end

function response(status, headers, body)
  local id = headers["X-Request-ID"] or headers["x-request-id"]
  local op, sent = nil, nil
  if id then
    op, sent = id:match("^(%a+)%.(%d+)$")
  end
  if not op or not latencies[op] then
    unmatched = unmatched + 1
    return
  end
  local list = latencies[op]
  list[#list + 1] = now_us() - tonumber(sent)
  local counts = statuses[op]
  counts[status] = (counts[status] or 0) + 1
end

local function percentile(sorted, p)
  if #sorted == 0 then
    return 0
  end
  local i = math.max(1, math.ceil(p / 100 * #sorted))
  return sorted[i]
end

function done(summary, latency, requests)
  local all, codes = {}, {}
  local lost, out = 0, ""
  for _, op in ipairs(OPERATIONS) do
    all[op], codes[op] = {}, {}
  end
  for _, thread in ipairs(threads) do
    lost = lost + thread:get("unmatched")
    out = thread:get("result_file")
    for _, op in ipairs(OPERATIONS) do
      for _, v in ipairs(thread:get("lat_" .. op)) do
        table.insert(all[op], v)
      end
      for code, n in pairs(thread:get("status_" .. op)) do
        codes[op][code] = (codes[op][code] or 0) + n
      end
    end
  end

  local seconds = summary.duration / 1e6
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  io.write(string.format("\ntraffic: %d requests in %.1f s = %.1f requests/s\n", summary.requests, seconds,
    summary.requests / seconds))
  io.write(string.format("all requests: p50 %.1f ms, p99 %.1f ms; socket errors %d (connect %d, read %d, write %d, "
    .. "timeout %d), non-2xx/3xx %d\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    socket_errors, e.connect, e.read, e.write, e.timeout, e.status))
  io.write(string.format("%-10s %6s %9s %9s %9s %9s %9s %9s  %s\n", "operation", "share", "requests", "req/s",
    "p50 ms", "p90 ms", "p99 ms", "max ms", "errors (status: count)"))
  local json = {}
  for _, op in ipairs(OPERATIONS) do
    local sorted = all[op]
    table.sort(sorted)
    local n = #sorted
    local errs, err_text = 0, {}
    for code, count in pairs(codes[op]) do
      if code >= 400 then
        errs = errs + count
        table.insert(err_text, string.format("%d: %d", code, count))
      end
    end
    local p50, p90, p99 = percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99)
    local max = sorted[n] or 0
    if n > 0 then
      io.write(string.format("%-10s %5.1f%% %9d %9.1f %9.1f %9.1f %9.1f %9.1f  %d %s\n", op,
        100 * n / math.max(1, summary.requests), n, n / seconds, p50 / 1000, p90 / 1000, p99 / 1000, max / 1000,
        errs, #err_text > 0 and ("(" .. table.concat(err_text, ", ") .. ")") or ""))
    end
    table.insert(json, string.format(
      '"%s": {"requests": %d, "rps": %.2f, "p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, '
        .. '"errors": %d}', op, n, n / seconds, p50 / 1000, p90 / 1000, p99 / 1000, max / 1000, errs))
  end
  if lost > 0 then
    io.write(string.format("answers without a usable X-Request-ID (not counted per operation): %d\n", lost))
  end
  if out ~= "" then
    local f = assert(io.open(out, "w"))
    f:write(string.format('{"requests": %d, "seconds": %.2f, "rps": %.2f, "p50_ms": %.2f, "p99_ms": %.2f, '
      .. '"socket_errors": %d, "status_errors": %d, "unmatched": %d, "operations": {%s}}\n', summary.requests,
      seconds, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      socket_errors, e.status, lost, table.concat(json, ", ")))
    f:close()
  end
end
