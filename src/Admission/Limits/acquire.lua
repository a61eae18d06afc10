-- Atomic check-and-take for one admission request (see EmbeddedRateLimitStore for the same logic).
-- KEYS: rate keys (nr of them), then quota keys (nq), then optionally the usage board key.
-- ARGV: now_us, nr, nq, then per rate: interval_us, tolerance_us; per quota: amount, limit (-1 = none), reset_at_us;
--       then, with a board: member, score, reset_at_us.
-- Returns {1} when allowed, or {0, index (1-based over rates then quotas), retry_after_us}.
-- Numbers are written with %d: tostring() would print large microsecond values in exponent form.
local now = tonumber(ARGV[1])
local nr = tonumber(ARGV[2])
local nq = tonumber(ARGV[3])
local a = 4
local tats = {}
for i = 1, nr do
  local interval = tonumber(ARGV[a])
  local tolerance = tonumber(ARGV[a + 1])
  a = a + 2
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tat < now then tat = now end
  local new_tat = tat + interval
  local allow_at = new_tat - tolerance
  if allow_at > now then
    return {0, i, allow_at - now}
  end
  tats[i] = new_tat
end
local quota_args = a
for j = 1, nq do
  local amount = tonumber(ARGV[a])
  local limit = tonumber(ARGV[a + 1])
  local reset_at = tonumber(ARGV[a + 2])
  a = a + 3
  if limit >= 0 then
    local current = tonumber(redis.call('GET', KEYS[nr + j]) or '0')
    if current + amount > limit then
      return {0, nr + j, reset_at - now}
    end
  end
end
for i = 1, nr do
  local ttl_ms = math.floor((tats[i] - now) / 1000) + 1
  redis.call('SET', KEYS[i], string.format('%d', tats[i]), 'PX', string.format('%d', ttl_ms))
end
a = quota_args
for j = 1, nq do
  local key = KEYS[nr + j]
  local reset_at = tonumber(ARGV[a + 2])
  redis.call('INCRBY', key, ARGV[a])
  redis.call('PEXPIRE', key, string.format('%d', math.floor((reset_at - now) / 1000) + 1))
  a = a + 3
end
if #KEYS > nr + nq then
  local board = KEYS[nr + nq + 1]
  local reset_at = tonumber(ARGV[a + 2])
  redis.call('ZINCRBY', board, ARGV[a + 1], ARGV[a])
  redis.call('PEXPIRE', board, string.format('%d', math.floor((reset_at - now) / 1000) + 1))
end
return {1}
