-- Atomic check-and-take for one admission request (see EmbeddedRateLimitStore for the same logic).
-- KEYS: rate keys (nr of them), then quota keys (nq), then wei spend keys (ns), then optionally the usage board key.
-- ARGV: now_us, nr, nq, ns, then per rate: interval_us, tolerance_us; per quota: amount, limit (-1 = none), reset_at_us;
--       per spend: amount_wei, limit_wei (-1 = none), reset_at_us (wei as decimal strings); then, with a board:
--       member, score, reset_at_us.
-- Returns {1, spend totals after the take (decimal strings)...} when allowed, or {0, index (1-based over rates, quotas,
-- spends), retry_after_us}.
-- Numbers are written with %d: tostring() would print large microsecond values in exponent form.
-- Wei do not fit Lua's doubles (exact to 2^53, about 0.009 ETH): they are split into two limbs of 15 decimal digits.
local LIMB = 1e15
local function wei(s)
  local n = #s
  if n <= 15 then return {0, tonumber(s)} end
  return {tonumber(string.sub(s, 1, n - 15)), tonumber(string.sub(s, n - 14))}
end
local function wei_text(w)
  if w[1] == 0 then return string.format('%d', w[2]) end
  return string.format('%d%015d', w[1], w[2])
end
local function wei_add(x, y)
  local lo = x[2] + y[2]
  local hi = x[1] + y[1]
  if lo >= LIMB then lo = lo - LIMB; hi = hi + 1 end
  return {hi, lo}
end
local function wei_gt(x, y)
  if x[1] ~= y[1] then return x[1] > y[1] end
  return x[2] > y[2]
end
local now = tonumber(ARGV[1])
local nr = tonumber(ARGV[2])
local nq = tonumber(ARGV[3])
local ns = tonumber(ARGV[4])
local a = 5
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
local spend_args = a
local totals = {}
for s = 1, ns do
  local key = KEYS[nr + nq + s]
  local total = wei_add(wei(redis.call('GET', key) or '0'), wei(ARGV[a]))
  if ARGV[a + 1] ~= '-1' and wei_gt(total, wei(ARGV[a + 1])) then
    return {0, nr + nq + s, tonumber(ARGV[a + 2]) - now}
  end
  totals[s] = total
  a = a + 3
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
local reply = {1}
a = spend_args
for s = 1, ns do
  local reset_at = tonumber(ARGV[a + 2])
  local text = wei_text(totals[s])
  redis.call('SET', KEYS[nr + nq + s], text, 'PX', string.format('%d', math.floor((reset_at - now) / 1000) + 1))
  reply[s + 1] = text
  a = a + 3
end
if #KEYS > nr + nq + ns then
  local board = KEYS[nr + nq + ns + 1]
  local reset_at = tonumber(ARGV[a + 2])
  redis.call('ZINCRBY', board, ARGV[a + 1], ARGV[a])
  redis.call('PEXPIRE', board, string.format('%d', math.floor((reset_at - now) / 1000) + 1))
end
return reply
