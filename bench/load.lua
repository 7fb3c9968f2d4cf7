-- The request mix of the load benchmark, for wrk (run by bench/load.py; see its docstring).
--
--   wrk -t N -c N -s bench/load.lua URL -- REQUESTS_FILE RESULTS_FILE THREAD_COUNT
--
-- REQUESTS_FILE holds one request a line, "kind path" (kind: article, home, section...).
-- Each thread walks the list from its own starting point, so threads do not request the
-- same page at the same moment. Per kind, it counts responses, non-2xx answers, the values
-- of the page cache's X-Cache header, those of Varnish's X-Varnish-Cache header (when
-- bench.load --varnish puts Varnish in front) and a latency histogram; done() writes them
-- to RESULTS_FILE.
--
-- Latency per kind is timed here, which needs exactly one connection per thread
-- (wrk -t N -c N): then each response answers the thread's last request.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("bench_timespec")

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000000 + tonumber(timespec.tv_nsec) / 1000
end

-- Histogram buckets 1% wide: bucket b holds latencies in [e^(b/100), e^((b+1)/100)) microseconds.
local BUCKETS_PER_E = 100

-- A reverse proxy in front of gunicorn says the reader came over HTTPS (SECURE_SSL_REDIRECT is on).
wrk.headers["X-Forwarded-Proto"] = "https"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

function init(args)
  requests_file, results_file = args[1], args[2]
  local thread_count = tonumber(args[3]) or 1
  kinds, paths = {}, {}
  for line in io.lines(requests_file) do
    local kind, path = line:match("^(%S+) (%S+)$")
    if kind then
      table.insert(kinds, kind)
      table.insert(paths, path)
    end
  end
  if #paths == 0 then
    error("no requests in " .. requests_file)
  end
  position = math.floor((thread_number - 1) * #paths / thread_count)
  stats = {}
  current_kind, started = nil, nil
end

function request()
  position = position % #paths + 1
  current_kind = kinds[position]
  started = now_us()
  return wrk.format("GET", paths[position])
end

-- Counters live in one flat table per thread, keyed "kind|responses", "kind|non_2xx",
-- "kind|cache|X-CACHE-VALUE", "kind|edge|X-VARNISH-CACHE-VALUE" and "kind|bucket|B":
-- this wrk crashes when done() reads a nested table from a thread.
local function add(key, amount)
  stats[key] = (stats[key] or 0) + amount
end

function response(status, headers, body)
  local elapsed = math.max(1, now_us() - started)
  local kind = current_kind
  add(kind .. "|responses", 1)
  if status < 200 or status > 299 then
    add(kind .. "|non_2xx", 1)
  end
  local cache_status = headers["X-Cache"]
  if cache_status then
    add(kind .. "|cache|" .. cache_status, 1)
  end
  local edge_status = headers["X-Varnish-Cache"]
  if edge_status then
    add(kind .. "|edge|" .. edge_status, 1)
  end
  add(kind .. "|bucket|" .. math.floor(math.log(elapsed) * BUCKETS_PER_E), 1)
end

-- RESULTS_FILE: the threads' counters added up, one "key count" a line.
function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("stats") or {}) do
      totals[key] = (totals[key] or 0) + count
    end
  end
  -- done() runs in wrk's main Lua state, where init() never ran: a thread knows the path.
  local out = assert(io.open(threads[1]:get("results_file"), "w"))
  for key, count in pairs(totals) do
    out:write(key, " ", string.format("%d", count), "\n")
  end
  out:close()
end
