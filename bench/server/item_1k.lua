-- wrk script for floor.sh: one operation only, on ~1 KB items of table "Bench" (hash key
-- "pk"), with the headers an AWS SDK sends, including a SigV4-shaped Authorization header
-- (dynamo-server without --credentials accepts any well-formed signature).
--   BENCH_OPERATION=GetItem wrk -t1 -c8 -d5s -s bench/server/item_1k.lua http://127.0.0.1:8000/
-- BENCH_OPERATION is GetItem (the default) or PutItem. Keys cycle through k0..k999, which
-- load_table.py loads first with a 1000-byte payload, so every GetItem finds a ~1 KB item
-- and every PutItem replaces one with another of the same size.

local operation = os.getenv("BENCH_OPERATION") or "GetItem"
local counter = 0
local keys = 1000

local sentence = "the quick brown fox jumps over the lazy dog "
local payload = string.rep(sentence, math.floor(1000 / #sentence)) .. string.rep("x", 1000 % #sentence)

local headers = {
  ["Content-Type"] = "application/x-amz-json-1.0",
  ["X-Amz-Date"] = "20240101T000000Z",
  ["X-Amz-Target"] = "DynamoDB_20120810." .. operation,
  ["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/us-east-1/dynamodb/aws4_request, " ..
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, " ..
    "Signature=0000000000000000000000000000000000000000000000000000000000000000",
}

request = function()
  counter = counter + 1
  local key = "k" .. (counter % keys)
  if operation == "PutItem" then
    return wrk.format("POST", "/", headers,
      '{"TableName":"Bench","Item":{"pk":{"S":"' .. key .. '"},"n":{"N":"' .. counter ..
      '"},"payload":{"S":"' .. payload .. '"}}}')
  end
  return wrk.format("POST", "/", headers, '{"TableName":"Bench","Key":{"pk":{"S":"' .. key .. '"}}}')
end

-- One machine-readable line per run, as get_put.lua's.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT rps=%.0f p50_us=%d p90_us=%d p99_us=%d max_us=%d requests=%d errors=%d non200=%d\n",
    summary.requests / seconds, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
