-- KEYS[1] a line. ARGV: now, bucketMs, buckets, lineTtl, then pairs of bucket index and amount.
-- Adds rebuilt spend; buckets already outside a rolling window are skipped.
local now, bucketMs, buckets = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local key = KEYS[1]
local s = roll(key, now, bucketMs, buckets)
local lo = num(redis.call('HGET', key, 'lo'))
for i = 5, #ARGV, 2 do
  local b, amount = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  if bucketMs == 0 then
    s = s + amount
  elseif b >= lo and b < lo + buckets then
    s = s + amount
    redis.call('HINCRBY', key, 'b' .. int(b), int(amount))
  end
end
redis.call('HSET', key, 's', int(s))
redis.call('PEXPIRE', key, ARGV[4])
return s
