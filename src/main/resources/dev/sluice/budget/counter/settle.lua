-- KEYS[1] in-flight set, KEYS[2] the reservation, KEYS[3] the settled marker, KEYS[4..] the lines charged.
-- ARGV: now, markerTtl, id, then 4 per line: amount, bucketMs, buckets, lineTtl.
-- Returns {1 settled | 0 already settled, then per line: s before, s after}.
local now = tonumber(ARGV[1])
local n = #KEYS - 3
local function arg(i, k) return tonumber(ARGV[3 + (i - 1) * 4 + k]) end
local out = {1}
if redis.call('EXISTS', KEYS[3]) == 1 then
  out[1] = 0
  for i = 1, n do
    local s = roll(KEYS[i + 3], now, arg(i, 2), arg(i, 3))
    table.insert(out, s)
    table.insert(out, s)
  end
  return out
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  release(KEYS[2])
end
redis.call('ZREM', KEYS[1], ARGV[3])
for i = 1, n do
  local key, amount, bucketMs = KEYS[i + 3], arg(i, 1), arg(i, 2)
  local s = roll(key, now, bucketMs, arg(i, 3))
  table.insert(out, s)
  if bucketMs > 0 then
    redis.call('HSET', key, 's', int(s + amount))
    redis.call('HINCRBY', key, 'b' .. int(math.floor(now / bucketMs)), int(amount))
  else
    redis.call('HINCRBY', key, 's', int(amount))
  end
  redis.call('PEXPIRE', key, arg(i, 4))
  table.insert(out, s + amount)
end
redis.call('SET', KEYS[3], '1', 'PX', ARGV[2])
return out
