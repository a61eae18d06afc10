-- Atomic check-and-take for one admission request, acquire(KEYS, ARGV) (see EmbeddedRateLimitStore for the same logic).
-- KEYS: rate keys (nr of them), then quota keys (nq), then wei spend keys (ns), then the usage board key when nb is 1,
--       then, when an owner is given, the owner's person key (person:of:{owner}).
-- ARGV: now_us, nr, nq, ns, nb, owner ('' for none), personal flags (one character per rate, quota and spend key, '1' for
--       a key that ends with the owner's name; the board's member is the owner's name), then per rate: interval_us, tolerance_us; per quota: amount, limit (-1 =
--       none), reset_at_us; per spend: amount_wei, limit_wei (-1 = none), reset_at_us (wei as decimal strings); then, with
--       a board: member, score, reset_at_us.
-- When the owner belongs to a person, its personal keys and the board member count under the person instead: the
-- lookup is part of the same atomic step, so a request never counts half under the login and half under its person.
-- Returns {1, the person counted under ('' for the owner itself or no owner), spend totals after the take (decimal
-- strings)...} when allowed, or {0, index (1-based over rates, quotas, spends), retry_after_us}.
-- Numbers are written with %d: tostring() would print large microsecond values in exponent form.
-- wei, wei_text, wei_add, wei_gt: wei.lua, prepended.
-- acquire_batch.lua, appended, runs it for each request of a batch.
local function acquire(KEYS, ARGV)
  local now = tonumber(ARGV[1])
  local nr = tonumber(ARGV[2])
  local nq = tonumber(ARGV[3])
  local ns = tonumber(ARGV[4])
  local nb = tonumber(ARGV[5])
  local owner = ARGV[6]
  local a = 8
  local keys = KEYS
  local person = ''
  if owner ~= '' then
    local found = redis.call('GET', KEYS[nr + nq + ns + nb + 1])
    if found then
      person = found
      local flags = ARGV[7]
      local cut = #owner
      keys = {}
      for i = 1, nr + nq + ns do
        local key = KEYS[i]
        if string.byte(flags, i) == 49 then key = string.sub(key, 1, #key - cut) .. person end
        keys[i] = key
      end
      if nb == 1 then keys[nr + nq + ns + 1] = KEYS[nr + nq + ns + 1] end
    end
  end
  -- Every counter this request checks, read in one call (a missing key reads as false): each redis.call costs the
  -- server a command's dispatch, and these reads were most of a request's calls.
  local values = {}
  if nr + nq + ns > 0 then values = redis.call('MGET', unpack(keys, 1, nr + nq + ns)) end
  local tats = {}
  for i = 1, nr do
    local interval = tonumber(ARGV[a])
    local tolerance = tonumber(ARGV[a + 1])
    a = a + 2
    local tat = tonumber(values[i] or '0')
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
      local current = tonumber(values[nr + j] or '0')
      if current + amount > limit then
        return {0, nr + j, reset_at - now}
      end
    end
  end
  local spend_args = a
  local totals = {}
  for s = 1, ns do
    local total = wei_add(wei(values[nr + nq + s] or '0'), wei(ARGV[a]))
    if ARGV[a + 1] ~= '-1' and wei_gt(total, wei(ARGV[a + 1])) then
      return {0, nr + nq + s, tonumber(ARGV[a + 2]) - now}
    end
    totals[s] = total
    a = a + 3
  end
  for i = 1, nr do
    local ttl_ms = math.floor((tats[i] - now) / 1000) + 1
    redis.call('SET', keys[i], string.format('%d', tats[i]), 'PX', string.format('%d', ttl_ms))
  end
  a = quota_args
  for j = 1, nq do
    local key = keys[nr + j]
    -- A counter lives until its reset (the day's end): its expiry is set when the take creates it, not on every take.
    if redis.call('INCRBY', key, ARGV[a]) == tonumber(ARGV[a]) then
      redis.call('PEXPIRE', key, string.format('%d', math.floor((tonumber(ARGV[a + 2]) - now) / 1000) + 1))
    end
    a = a + 3
  end
  local reply = {1, person}
  a = spend_args
  for s = 1, ns do
    local reset_at = tonumber(ARGV[a + 2])
    local text = wei_text(totals[s])
    redis.call('SET', keys[nr + nq + s], text, 'PX', string.format('%d', math.floor((reset_at - now) / 1000) + 1))
    reply[s + 2] = text
    a = a + 3
  end
  if nb == 1 then
    local board = keys[nr + nq + ns + 1]
    local member = ARGV[a]
    if person ~= '' then member = person end
    -- Likewise the board: its expiry is set when a take adds a member (the first one creates the board).
    if tonumber(redis.call('ZINCRBY', board, ARGV[a + 1], member)) == tonumber(ARGV[a + 1]) then
      redis.call('PEXPIRE', board, string.format('%d', math.floor((tonumber(ARGV[a + 2]) - now) / 1000) + 1))
    end
  end
  return reply
end
