-- KEYS[1] in-flight sorted set (score: deadline), KEYS[2] this reservation's hash, KEYS[3] this id's settled marker,
-- KEYS[4..] the lines. ARGV: now, ttl, id, reservation key prefix, then 7 per line:
-- group, cap, estimate, worst, bucketMs, buckets, lineTtl.
-- Returns {status (1 admitted, 0 refused, 2 already settled), refusedAt (0-based, -1), refusal (1 exhausted,
-- 2 in flight), then per line: s, r, d, charged (0/1), resetsAt}.
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local id = ARGV[3]
local prefix = ARGV[4]
local n = #KEYS - 3
local function arg(i, k) return tonumber(ARGV[4 + (i - 1) * 7 + k]) end

for _, old in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 16)) do
  release(prefix .. old)
  redis.call('ZREM', KEYS[1], old)
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  release(KEYS[2])
  redis.call('ZREM', KEYS[1], id)
end

local srd = {}
for i = 1, n do
  local s, r, d = load(KEYS[i + 3], now, arg(i, 5), arg(i, 6))
  srd[i] = {s, r, d}
end

-- Replies from the numbers in hand (no second read); the reset time of a rolling window costs a scan of its
-- buckets, so only the line that refused gets it.
local chosen = {}
local function reply(status, at, why)
  local out = {status, at, why}
  for i = 1, n do
    local v = srd[i]
    table.insert(out, v[1])
    table.insert(out, v[2])
    table.insert(out, v[3])
    table.insert(out, chosen[i] and 1 or 0)
    if i - 1 == at then table.insert(out, resets(KEYS[i + 3], v[1], arg(i, 5), arg(i, 6))) else table.insert(out, 0) end
  end
  return out
end

if redis.call('EXISTS', KEYS[3]) == 1 then return reply(2, -1, 0) end

local function check(cap, v)
  if cap < 0 then return 0 end
  if v[1] >= cap then return 1 end
  if v[1] + v[2] + v[3] >= cap then return 2 end
  return 0
end

local i = 1
while i <= n do
  local g = arg(i, 1)
  local j = i
  local pick = nil
  local last, lastAt = 0, -1
  while j <= n and arg(j, 1) == g do
    if not pick then
      local why = check(arg(j, 2), srd[j])
      if why == 0 then pick = j else last, lastAt = why, j - 1 end
    end
    j = j + 1
  end
  if not pick then return reply(0, lastAt, last) end
  chosen[pick] = true
  i = j
end

local held = {}
for k = 1, n do
  if chosen[k] then
    local cap, e, w, v = arg(k, 2), arg(k, 3), arg(k, 4), srd[k]
    local r, d = e, w - e
    if cap >= 0 and v[1] + v[2] + v[3] + w > cap then r, d = w, 0 end
    v[2], v[3] = v[2] + r, v[3] + d
    redis.call('HSET', KEYS[k + 3], 'r', int(v[2]), 'd', int(v[3]))
    redis.call('PEXPIRE', KEYS[k + 3], arg(k, 7))
    table.insert(held, KEYS[k + 3])
    table.insert(held, int(r) .. ':' .. int(d))
  end
end
if #held > 0 then redis.call('HSET', KEYS[2], unpack(held)) end
redis.call('ZADD', KEYS[1], now + ttl, id)
redis.call('PEXPIRE', KEYS[1], ttl + 86400000)
redis.call('PEXPIRE', KEYS[2], ttl + 60000)
return reply(1, -1, 0)
