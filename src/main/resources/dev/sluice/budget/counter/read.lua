-- KEYS: lines. ARGV: now, then 2 per line: bucketMs, buckets. Returns per line: s, r, d, 0, resetsAt.
local now = tonumber(ARGV[1])
local out = {}
for i = 1, #KEYS do
  local bucketMs, buckets = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local s = 0
  if redis.call('EXISTS', KEYS[i]) == 1 then s = roll(KEYS[i], now, bucketMs, buckets) end
  table.insert(out, s)
  table.insert(out, num(redis.call('HGET', KEYS[i], 'r')))
  table.insert(out, num(redis.call('HGET', KEYS[i], 'd')))
  table.insert(out, 0)
  table.insert(out, resets(KEYS[i], s, bucketMs, buckets))
end
return out
