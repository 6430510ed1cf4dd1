-- Prints one machine-readable line after a wrk run; bench/run.sh reads it.
-- requests/s, p50 and p99 in microseconds, errors (socket errors + non-2xx/3xx answers), requests.
function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  io.write(string.format("RESULT %.1f %d %d %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), errors, summary.requests))
end
