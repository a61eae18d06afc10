-- Settles one reservation of a wei budget (see EmbeddedRateLimitStore.Spend.cs for the same logic).
-- KEYS: the reservation hash, the pending set. ARGV: the transaction hash (the pending set's member), the actual cost in wei.
-- The hash holds: amount (wei reserved), identity, ikey and gkey (the identity's and the global counter keys).
-- Charges min(actual, amount), gives the rest back to both counters (never below 0; an expired counter, yesterday's,
-- is left alone), and deletes the reservation in the same step, so a second settlement of it finds nothing.
-- Returns {0} when there is no such reservation, else {1, identity, charged, released} (wei as decimal strings).
-- wei, wei_text, wei_gt, wei_sub: wei.lua, prepended.
local r = redis.call('HMGET', KEYS[1], 'amount', 'identity', 'ikey', 'gkey')
redis.call('ZREM', KEYS[2], ARGV[1])
if not r[1] then
  return {0}
end
redis.call('DEL', KEYS[1])
local reserved = wei(r[1])
local charged = wei(ARGV[2])
if wei_gt(charged, reserved) then charged = reserved end
local released = wei_sub(reserved, charged)
if released[1] ~= 0 or released[2] ~= 0 then
  for _, key in ipairs({r[3], r[4]}) do
    local current = redis.call('GET', key)
    if current then
      local left = {0, 0}
      local value = wei(current)
      if wei_gt(value, released) then left = wei_sub(value, released) end
      redis.call('SET', key, wei_text(left), 'KEEPTTL')
    end
  end
end
return {1, r[2], wei_text(charged), wei_text(released)}
