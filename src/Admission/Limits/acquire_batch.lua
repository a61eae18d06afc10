-- Several admission requests in one script call (RedisRateLimitStore's batches): each runs acquire() in turn, so the
-- batch is the same as the requests sent one by one in this order, and the whole batch is one atomic step.
-- KEYS: every request's keys, request after request. ARGV: n, then per request its key count and argument count, then
-- every request's arguments, request after request (each request's KEYS and ARGV as acquire.lua describes them).
-- Returns one reply per request, in order.
local n = tonumber(ARGV[1])
local k = 0
local a = 1 + 2 * n
local replies = {}
for r = 1, n do
  local nk = tonumber(ARGV[2 * r])
  local na = tonumber(ARGV[2 * r + 1])
  local keys = {}
  for i = 1, nk do keys[i] = KEYS[k + i] end
  local args = {}
  for i = 1, na do args[i] = ARGV[a + i] end
  k = k + nk
  a = a + na
  replies[r] = acquire(keys, args)
end
return replies
