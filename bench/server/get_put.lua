-- wrk script: GetItem and PutItem on table "Bench" (hash key "pk"), each request with the
-- headers an AWS SDK sends, including a SigV4-shaped Authorization header (the servers
-- under test accept any well-formed signature without checking it).
--   wrk -t1 -c8 -d5s -s bench/server/get_put.lua http://127.0.0.1:8000/
-- Keys cycle through k0..k999 (load_table.py loads them first), so every GetItem finds an item.
-- By default a 50/50 mix (compare.sh) whose PutItem writes a short sentence. From the
-- environment (floor.sh): BENCH_OPERATION=GetItem or PutItem sends only that operation, and
-- BENCH_PAYLOAD_BYTES=n makes PutItem's payload n bytes of the sentence repeated, as
-- `load_table.py <url> n` does.

local counter = 0
local keys = 1000
local only = os.getenv("BENCH_OPERATION")

local sentence = "the quick brown fox jumps over the lazy dog"
local payload = sentence
local payload_bytes = tonumber(os.getenv("BENCH_PAYLOAD_BYTES") or "")
if payload_bytes then
  local step = #sentence + 1
  payload = string.rep(sentence .. " ", math.floor(payload_bytes / step)) .. string.rep("x", payload_bytes % step)
end

local common = {
  ["Content-Type"] = "application/x-amz-json-1.0",
  ["X-Amz-Date"] = "20240101T000000Z",
  ["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/us-east-1/dynamodb/aws4_request, " ..
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, " ..
    "Signature=0000000000000000000000000000000000000000000000000000000000000000",
}

local function headers_for(operation)
  local h = {}
  for name, value in pairs(common) do h[name] = value end
  h["X-Amz-Target"] = "DynamoDB_20120810." .. operation
  return h
end

local get_headers = headers_for("GetItem")
local put_headers = headers_for("PutItem")

request = function()
  counter = counter + 1
  local key = "k" .. (counter % keys)
  local get = (only == "GetItem") or (only == nil and counter % 2 == 0)
  if get then
    return wrk.format("POST", "/", get_headers,
      '{"TableName":"Bench","Key":{"pk":{"S":"' .. key .. '"}}}')
  end
  return wrk.format("POST", "/", put_headers,
    '{"TableName":"Bench","Item":{"pk":{"S":"' .. key .. '"},"n":{"N":"' .. counter ..
    '"},"payload":{"S":"' .. payload .. '"}}}')
end

-- One machine-readable line per run: requests/s, latency percentiles in microseconds,
-- and the number of non-200 answers (must be 0 for the figures to count).
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT rps=%.0f p50_us=%d p90_us=%d p99_us=%d max_us=%d requests=%d errors=%d non200=%d\n",
    summary.requests / seconds, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
