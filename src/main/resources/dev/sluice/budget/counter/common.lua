-- Shared by every budget script (prepended by RedisCounters). A line is a hash: s (settled), r (reserved),
-- d (slack), and for rolling windows lo (oldest bucket counted) and b<index> (settled per bucket).
-- Numbers are written with %d: Lua numbers are doubles and Redis would print large ones as 1e+15.
local function int(x) return string.format('%d', x) end
local function num(v) if v then return tonumber(v) end return 0 end

-- Reads a line in one call and drops buckets that left a rolling window; returns s, r, d.
local function load(key, now, bucketMs, buckets)
  local v = redis.call('HMGET', key, 's', 'r', 'd', 'lo')
  local s, r, d = num(v[1]), num(v[2]), num(v[3])
  if bucketMs == 0 then return s, r, d end
  local cur = math.floor(now / bucketMs)
  local newLo = cur - buckets + 1
  if not v[4] then
    redis.call('HSET', key, 'lo', int(newLo))
    return s, r, d
  end
  local lo = tonumber(v[4])
  if lo < newLo then
    local last = math.min(newLo - 1, lo + buckets - 1)
    for b = lo, last do
      local x = redis.call('HGET', key, 'b' .. int(b))
      if x then
        s = s - tonumber(x)
        redis.call('HDEL', key, 'b' .. int(b))
      end
    end
    redis.call('HSET', key, 's', int(s), 'lo', int(newLo))
  end
  return s, r, d
end

local function roll(key, now, bucketMs, buckets)
  local s = load(key, now, bucketMs, buckets)
  return s
end

-- When the oldest counted spend leaves a rolling window (ms), or 0.
local function resets(key, s, bucketMs, buckets)
  if bucketMs == 0 or s == 0 then return 0 end
  local lo = num(redis.call('HGET', key, 'lo'))
  for b = lo, lo + buckets - 1 do
    if num(redis.call('HGET', key, 'b' .. int(b))) ~= 0 then return (b + buckets) * bucketMs end
  end
  return 0
end

-- Gives back what a reservation holds on each of its lines.
local function release(resKey)
  local f = redis.call('HGETALL', resKey)
  for i = 1, #f, 2 do
    local sep = string.find(f[i + 1], ':', 1, true)
    if redis.call('EXISTS', f[i]) == 1 then
      redis.call('HINCRBY', f[i], 'r', int(0 - tonumber(string.sub(f[i + 1], 1, sep - 1))))
      redis.call('HINCRBY', f[i], 'd', int(0 - tonumber(string.sub(f[i + 1], sep + 1))))
    end
  end
  redis.call('DEL', resKey)
end
