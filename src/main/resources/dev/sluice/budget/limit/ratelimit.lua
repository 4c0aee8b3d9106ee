-- Rate limits, mirroring RateMath. KEYS: one hash per limit and subject. ARGV: now, mode (check | adjust),
-- then 3 per key: algorithm (1 sliding window, 2 token bucket), limit, cost.
-- check: {1} when every key admits (all charged), else {0, index (0-based), wait ms} and nothing charged.
-- adjust: charges the costs (negative gives back) without checking; {1}.
local now, mode = tonumber(ARGV[1]), ARGV[2]
local MINUTE = 60000
local function int(x) return string.format('%d', x) end
local function arg(i, k) return tonumber(ARGV[2 + (i - 1) * 3 + k]) end

local function load(i)
  local key, alg, limit = KEYS[i], arg(i, 1), arg(i, 2)
  local s = redis.call('HMGET', key, 'a', 'b', 'c')
  if alg == 1 then
    local w, c, p = tonumber(s[1] or math.floor(now / MINUTE)), tonumber(s[2] or 0), tonumber(s[3] or 0)
    local cur = math.floor(now / MINUTE)
    -- never back: a replica whose clock runs behind the stored window must not start it afresh
    if cur > w then
      if cur == w + 1 then p = c else p = 0 end
      c, w = 0, cur
    end
    return {w, c, p}
  end
  local t, ts = tonumber(s[1] or limit * 1000), tonumber(s[2] or now)
  local elapsed = math.max(0, now - ts)
  t = math.min(limit * 1000, t + math.floor(elapsed * limit * 1000 / MINUTE))
  return {t, math.max(ts, now)}
end

local function wait(i, s)
  local alg, limit, cost = arg(i, 1), arg(i, 2), arg(i, 3)
  if alg == 1 then
    local into = math.max(0, now - s[1] * MINUTE)
    local est = s[3] * (1 - into / MINUTE) + s[2]
    if est + cost <= limit then return 0 end
    local toNext = MINUTE - into
    if s[2] + cost > limit then
      if s[2] + cost > limit * 2 then return toNext + MINUTE end
      return toNext
    end
    return math.min(toNext, math.max(1, math.ceil((est + cost - limit) / s[3] * MINUTE)))
  end
  if s[1] >= cost * 1000 then return 0 end
  return math.max(1, math.ceil((cost * 1000 - s[1]) / (limit * 1000 / MINUTE)))
end

local function store(i, s)
  local alg, limit, cost = arg(i, 1), arg(i, 2), arg(i, 3)
  if alg == 1 then
    redis.call('HSET', KEYS[i], 'a', int(s[1]), 'b', int(math.max(0, s[2] + cost)), 'c', int(s[3]))
  else
    redis.call('HSET', KEYS[i], 'a', int(math.min(limit * 1000, s[1] - cost * 1000)), 'b', int(s[2]))
  end
  redis.call('PEXPIRE', KEYS[i], 180000)
end

local states = {}
for i = 1, #KEYS do states[i] = load(i) end
if mode == 'check' then
  for i = 1, #KEYS do
    local ms = wait(i, states[i])
    if ms > 0 then return {0, i - 1, ms} end
  end
end
for i = 1, #KEYS do store(i, states[i]) end
return {1}
