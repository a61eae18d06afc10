-- Exact wei arithmetic, prepended to acquire.lua and settle.lua by RedisRateLimitStore.LoadScript (one copy of it).
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
-- x - y for x >= y
local function wei_sub(x, y)
  local lo = x[2] - y[2]
  local hi = x[1] - y[1]
  if lo < 0 then lo = lo + LIMB; hi = hi - 1 end
  return {hi, lo}
end
local function wei_gt(x, y)
  if x[1] ~= y[1] then return x[1] > y[1] end
  return x[2] > y[2]
end
