-- Settles a batch of reservations of one tenant, in order, each exactly as if it ran alone (one script per
-- batch only saves the round trips and per-command work; see SettleBatcher).
-- KEYS[1] in-flight set, then per settle: its reservation, its settled marker, the lines it charged.
-- ARGV: markerTtl, count, then per settle: id, now, number of lines, then 4 per line: amount, bucketMs, buckets,
-- lineTtl.
-- Returns one reply per settle: {1 settled | 0 already settled, then per line: s before, s after}.
local markerTtl = ARGV[1]
local replies = {}
local k, a = 2, 3

local function one(resKey, doneKey, id, now, n, key, arg)
  local out = {1}
  if redis.call('EXISTS', doneKey) == 1 then
    out[1] = 0
    for i = 1, n do
      local s = roll(key(i), now, arg(i, 2), arg(i, 3))
      table.insert(out, s)
      table.insert(out, s)
    end
    return out
  end
  if redis.call('EXISTS', resKey) == 1 then
    release(resKey)
  end
  redis.call('ZREM', KEYS[1], id)
  for i = 1, n do
    local lk, amount, bucketMs = key(i), arg(i, 1), arg(i, 2)
    local s = roll(lk, now, bucketMs, arg(i, 3))
    table.insert(out, s)
    if bucketMs > 0 then
      redis.call('HSET', lk, 's', int(s + amount))
      redis.call('HINCRBY', lk, 'b' .. int(math.floor(now / bucketMs)), int(amount))
    else
      redis.call('HINCRBY', lk, 's', int(amount))
    end
    redis.call('PEXPIRE', lk, arg(i, 4))
    table.insert(out, s + amount)
  end
  redis.call('SET', doneKey, '1', 'PX', markerTtl)
  return out
end

for c = 1, tonumber(ARGV[2]) do
  local id, now, n = ARGV[a], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  local k0, a0 = k, a
  replies[c] = one(KEYS[k0], KEYS[k0 + 1], id, now, n,
    function(i) return KEYS[k0 + 1 + i] end,
    function(i, j) return tonumber(ARGV[a0 + 2 + (i - 1) * 4 + j]) end)
  k = k + 2 + n
  a = a + 3 + 4 * n
end
return replies
