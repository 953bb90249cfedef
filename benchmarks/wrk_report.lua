-- wrk script: random row ids where the path holds "__ID__", and a JSON summary at the end.
-- Arguments after "--": the lowest and highest id to draw from (both databases hold the
-- same ids, and the generator is seeded, so both servers get the same id sequence).
local template = nil
local low, high = 1, 1
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  if wrk.path:find("__ID__", 1, true) then
    template = wrk.path
    low = tonumber(args[1]) or 1
    high = tonumber(args[2]) or low
  end
  math.randomseed(20251128 + (tid or 0))
end

function request()
  if template == nil then
    return wrk.format()
  end
  local id = tostring(math.random(low, high))
  return wrk.format(nil, (template:gsub("__ID__", id)))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "mean": %.1f, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.mean, latency.max))
end
