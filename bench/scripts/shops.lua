-- Requests across many shops: each request picks a random shop from BENCH_SHOPS (lines of
-- "slug<TAB>token<TAB>item ids,…", as bench/LargeSeed writes them). BENCH_MODE says what to ask:
--   page   the storefront menu /s/{shop} (asking for no compression)
--   page-br  the same page as browsers ask for it (Accept-Encoding: br, gzip)
--   api    the menu API /api/v1/shops/{shop}/menu
--   order  a new pickup order of one or two of the shop's items, each with its own Idempotency-Key
dofile(os.getenv("BENCH_SCRIPTS") .. "/report.lua")

local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end

function init(args)
  n = 0
  -- The warm-up and the measured run are separate wrk runs seconds apart: the start time keeps
  -- their Idempotency-Keys apart, so no request of the measured run is a replay of the warm-up's.
  run = (os.getenv("BENCH_RUN") or "") .. "-" .. tostring(os.time())
  mode = os.getenv("BENCH_MODE") or "api"
  shops = {}
  for line in io.lines(os.getenv("BENCH_SHOPS")) do
    local slug, _, ids = line:match("^([^\t]+)\t([^\t]*)\t(.*)$")
    local items = {}
    for id in ids:gmatch("%d+") do table.insert(items, id) end
    table.insert(shops, { slug = slug, items = items })
  end
  math.randomseed(tid * 7919 + os.time())
end

function request()
  n = n + 1
  local shop = shops[math.random(#shops)]
  if mode == "page" then
    return wrk.format("GET", "/s/" .. shop.slug)
  elseif mode == "page-br" then
    -- As browsers ask: the node keeps only the compressed forms of a page for them.
    return wrk.format("GET", "/s/" .. shop.slug, { ["Accept-Encoding"] = "br, gzip" })
  elseif mode == "api" then
    return wrk.format("GET", "/api/v1/shops/" .. shop.slug .. "/menu")
  end
  local a = shop.items[math.random(#shop.items)]
  local b = shop.items[math.random(#shop.items)]
  local lines = '{"itemId":' .. a .. ',"quantity":2}'
  if b ~= a then lines = lines .. ',{"itemId":' .. b .. ',"quantity":1}' end
  local body = '{"type":"pickup","items":[' .. lines .. '],"customer":{"name":"Bench","phone":"+49 30 1234567"},"note":"wrk"}'
  local headers = {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%s-%d-%d", run, tid, n),
  }
  return wrk.format("POST", "/api/v1/shops/" .. shop.slug .. "/orders", headers, body)
end
