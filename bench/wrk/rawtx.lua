-- wrk script: replays pre-signed JSON-RPC request bodies (one per line, written by
-- `LoadGenerator --write-bodies FILE`, nonce-major) so that a second, independent client measures the same
-- transactions. wrk is closed loop: each connection sends its next request when the previous one is answered.
--   WRK_BODIES=FILE WRK_THREADS=1 WRK_LABEL=L [WRK_JSON=OUT] wrk -t1 -c64 -d10s --latency -s bench/wrk/rawtx.lua URL
-- Thread t of T sends lines t, t+T, t+2T, ... : with the sender count a multiple of T, every sender's nonces stay on
-- one thread and go out in order. A reply that is not HTTP 200 or holds "error" counts as an error; so does a line
-- sent again after the file ran out (its nonce is already used), which the summary also reports as "replayed".
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local count = tonumber(os.getenv("WRK_THREADS") or "1")
  local path = os.getenv("WRK_BODIES") or error("WRK_BODIES is not set")
  requests = {}
  local line_number = 0
  local headers = { ["Content-Type"] = "application/json" }
  for body in io.lines(path) do
    if line_number % count == id then
      -- Formatted once here, not per request: wrk's own CPU stays on sending.
      requests[#requests + 1] = wrk.format("POST", nil, headers, body)
    end
    line_number = line_number + 1
  end
  n = #requests
  i = 0
  errors = 0
  replayed = 0
end

function request()
  i = i + 1
  if i > n then
    i = 1
    replayed = replayed + 1
  end
  return requests[i]
end

function response(status, headers, body)
  if status ~= 200 or string.find(body, '"error"', 1, true) then
    errors = errors + 1
    if errors == 1 then
      first_error = status .. " " .. string.sub(body, 1, 300)
    end
  end
end

function done(summary, latency, requests)
  local errors, replayed = 0, 0
  for _, thread in ipairs(threads) do
    local first = thread:get("first_error")
    if first then
      io.stderr:write("[" .. (os.getenv("WRK_LABEL") or "wrk") .. "] first error: " .. first .. "\n")
    end
    errors = errors + thread:get("errors")
    replayed = replayed + (thread:get("replayed") or 0)
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  local ok = summary.requests - errors
  local line = string.format(
    '{"label":"%s","client":"wrk","connections":%s,"ok":%d,"errors":%d,"socketErrors":%d,"replayed":%d,"seconds":%.3f,"txPerSecond":%.1f,"p50Ms":%.3f,"p90Ms":%.3f,"p99Ms":%.3f,"p999Ms":%.3f,"maxMs":%.3f}',
    os.getenv("WRK_LABEL") or "wrk", os.getenv("WRK_CONNECTIONS") or "?", ok, errors, socket_errors, replayed, seconds, ok / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000)
  io.write(line .. "\n")
  local out = os.getenv("WRK_JSON")
  if out then
    local file = io.open(out, "a")
    file:write(line .. "\n")
    file:close()
  end
end
