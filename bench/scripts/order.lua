-- Places a valid order per request, each with its own Idempotency-Key, so every request is a
-- new order (no replays). The body comes from BENCH_ORDER_BODY, the path from BENCH_ORDER_PATH.
dofile(os.getenv("BENCH_SCRIPTS") .. "/report.lua")

-- BENCH_DELAY_MS (the soak) makes each connection pause between requests, to hold a rate.
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "")
if pause then
  function delay()
    return pause
  end
end

local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  n = 0
  run = os.getenv("BENCH_RUN") or tostring(os.time())
  path = os.getenv("BENCH_ORDER_PATH")
  body = os.getenv("BENCH_ORDER_BODY")
end

function request()
  n = n + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%s-%d-%d", run, tid, n),
  }
  return wrk.format("POST", path, headers, body)
end
