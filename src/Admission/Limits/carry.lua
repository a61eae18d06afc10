-- Carries usage between keys when logins are linked into a person or unlinked (see EmbeddedRateLimitStore.Carry for
-- the same rules). KEYS: per entry its target then its sources; then, with a board, the board key.
-- ARGV: now_us, entry count, then per entry: is_rate (1/0), mode (0 add, 1 max), source count, reset_at_us;
--       then, with a board: target member, reset_at_us, source count, source members.
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local a = 3
local k = 1
for e = 1, n do
  local is_rate = ARGV[a] == '1'
  local max_mode = ARGV[a + 1] == '1'
  local ns = tonumber(ARGV[a + 2])
  local reset_at = tonumber(ARGV[a + 3])
  a = a + 4
  local target = KEYS[k]
  local value = tonumber(redis.call('GET', target) or '0')
  if is_rate and value < now and not max_mode then value = 0 end
  for s = 1, ns do
    local v = tonumber(redis.call('GET', KEYS[k + s]) or '0')
    if max_mode then
      if v > value then value = v end
    elseif is_rate then
      if v > now then
        if value < now then value = now end
        value = value + (v - now)
      end
    else
      value = value + v
    end
  end
  k = k + 1 + ns
  if value > 0 then
    local expires = reset_at
    if is_rate then expires = value end
    local ttl_ms = math.floor((expires - now) / 1000) + 1
    if ttl_ms > 0 then
      redis.call('SET', target, string.format('%d', value), 'PX', string.format('%d', ttl_ms))
    end
  end
end
if #KEYS >= k then
  local board = KEYS[k]
  local member = ARGV[a]
  local reset_at = tonumber(ARGV[a + 1])
  local ns = tonumber(ARGV[a + 2])
  local score = 0
  for s = 1, ns do
    local moved = redis.call('ZSCORE', board, ARGV[a + 2 + s])
    if moved then
      score = score + tonumber(moved)
      redis.call('ZREM', board, ARGV[a + 2 + s])
    end
  end
  if score > 0 then
    redis.call('ZINCRBY', board, score, member)
    redis.call('PEXPIRE', board, string.format('%d', math.floor((reset_at - now) / 1000) + 1))
  end
end
return 1
