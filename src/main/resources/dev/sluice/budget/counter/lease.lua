-- One replica's lease flush for one tenant (see LeasedCounters): adds the spend its leased requests settled, then
-- sets its lease on each line to the target it asks for (shrinking always; growing only by what the headroom allows),
-- and keeps the lease alive. The lease is stored as a reservation (reserved 0, slack = the lease), so every
-- script counts it in x = s + r + d, and a crashed replica's lease is released like an abandoned reservation.
-- KEYS[1] in-flight set, KEYS[2] this replica's lease, KEYS[3] its last applied flush number, KEYS[4..3+n] the
-- lines, then one settled marker per settle.
-- ARGV: now, leaseTtl, leaseId, seq, markerTtl, share, n, m, reservation key prefix,
--   then 6 per line: cap, bucketMs, buckets, lineTtl, target, minGrow,
--   then per settle: now, count, then count pairs: line index (1-based), amount.
-- Returns {1 applied | 0 this seq was applied before (nothing changed), then 5 per line: s before, s after, r, d,
--   lease; then one per settle: 1 counted | 0 already settled (by another replica's settle)}.
local now, leaseTtl, leaseId, seq = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local markerTtl, share, n, m, prefix = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9]
local function la(i, k) return tonumber(ARGV[9 + (i - 1) * 6 + k]) end
local function lineKey(i) return KEYS[3 + i] end

-- Leases and reservations past their deadline are released here too: when every replica serves from its lease,
-- no reserve script runs to sweep a crashed replica's lease.
for _, old in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 16)) do
  release(prefix .. old)
  redis.call('ZREM', KEYS[1], old)
end

local srd, before, lease = {}, {}, {}
for i = 1, n do
  local s, r, d = load(lineKey(i), now, la(i, 2), la(i, 3))
  srd[i] = {s, r, d}
  before[i] = s
  local held = redis.call('HGET', KEYS[2], lineKey(i))
  if held then lease[i] = tonumber(string.sub(held, string.find(held, ':', 1, true) + 1)) else lease[i] = 0 end
end

local function reply(applied, counted)
  local out = {applied}
  for i = 1, n do
    table.insert(out, before[i])
    table.insert(out, srd[i][1])
    table.insert(out, srd[i][2])
    table.insert(out, srd[i][3])
    table.insert(out, lease[i])
  end
  for c = 1, m do table.insert(out, counted[c] or 1) end
  return out
end

if seq <= tonumber(redis.call('GET', KEYS[3]) or '0') then return reply(0, {}) end

-- Settles: spend moves from the lease into s, so x does not change. A settle already counted elsewhere (its
-- marker exists) still leaves the lease, which covered it, but is not added twice.
local counted = {}
local a = 10 + n * 6
for c = 1, m do
  local t, count = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
  local done = KEYS[3 + n + c]
  local fresh = redis.call('EXISTS', done) == 0
  for j = 1, count do
    local i, amount = tonumber(ARGV[a + 2 * j]), tonumber(ARGV[a + 2 * j + 1])
    local covered = math.min(amount, lease[i])
    lease[i] = lease[i] - covered
    srd[i][3] = srd[i][3] - covered
    if fresh then
      srd[i][1] = srd[i][1] + amount
      local bucketMs = la(i, 2)
      if bucketMs > 0 then redis.call('HINCRBY', lineKey(i), 'b' .. int(math.floor(t / bucketMs)), int(amount)) end
    end
  end
  if fresh then redis.call('SET', done, '1', 'PX', markerTtl) end
  counted[c] = fresh and 1 or 0
  a = a + 2 + 2 * count
end

-- Targets: a lease grows by at most 1/share of the headroom left under the cap (x counts every lease and every
-- request in flight), and only when that fits one request's worst case; so growing never takes x past the cap.
for i = 1, n do
  local cap, target, minGrow = la(i, 1), la(i, 5), la(i, 6)
  local v = srd[i]
  if target <= lease[i] then
    v[3] = v[3] - (lease[i] - target)
    lease[i] = target
  else
    local grow = target - lease[i]
    if cap >= 0 then
      grow = math.min(grow, math.floor((cap - v[1] - v[2] - v[3]) / share))
      if grow < minGrow then grow = 0 end
    end
    lease[i] = lease[i] + grow
    v[3] = v[3] + grow
  end
  redis.call('HSET', lineKey(i), 's', int(v[1]), 'r', int(v[2]), 'd', int(v[3]))
  redis.call('PEXPIRE', lineKey(i), la(i, 4))
  if lease[i] > 0 then
    redis.call('HSET', KEYS[2], lineKey(i), '0:' .. int(lease[i]))
  else
    redis.call('HDEL', KEYS[2], lineKey(i))
  end
end

if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('ZADD', KEYS[1], now + leaseTtl, leaseId)
  redis.call('PEXPIRE', KEYS[1], leaseTtl + 86400000)
  redis.call('PEXPIRE', KEYS[2], leaseTtl + 60000)
else
  redis.call('ZREM', KEYS[1], leaseId)
end
redis.call('SET', KEYS[3], int(seq), 'PX', 86400000)
return reply(1, counted)
