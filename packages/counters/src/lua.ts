/**
 * The Redis side of the counters: three Lua scripts, each one atomic round trip.
 *
 * Numbers: Lua numbers are doubles, exact for integers below 2^53 (9e15 micro-USD, ~$9 billion;
 * epoch ms). Amounts reach Redis through redis.call, which formats numbers with %.17g (exact for
 * those integers); the record stores every number as the string it arrived as, because
 * cjson and Lua's `..` print numbers with 14 significant digits.
 *
 * Scripts read and write keys they find in the reservation record (settle) rather than in
 * KEYS, so they need a single Redis (or a primary with replicas), not Redis Cluster.
 */

/** Shared helpers, prepended to the scripts that need them. */
const helpers = `
local function trimTokens(z, h, floor)
  local old = redis.call('ZRANGEBYSCORE', z, '-inf', floor)
  if #old == 0 then return end
  local freed = 0
  for _, m in ipairs(old) do
    freed = freed + (tonumber(redis.call('HGET', h, m)) or 0)
    redis.call('HDEL', h, m)
  end
  redis.call('ZREMRANGEBYSCORE', z, '-inf', floor)
  redis.call('HINCRBY', h, '_sum', -freed)
end

-- Gives back every reservation of this budget period whose expiry has passed.
local function reclaim(h, x, now)
  local due = redis.call('ZRANGEBYSCORE', x, '-inf', now)
  if #due == 0 then return end
  local back = 0
  for _, m in ipairs(due) do
    local f = 'r:' .. m
    local amt = tonumber(redis.call('HGET', h, f))
    if amt then
      back = back + amt
      redis.call('HDEL', h, f)
    end
  end
  if back ~= 0 then redis.call('HINCRBY', h, 'reserved', -back) end
  redis.call('ZREMRANGEBYSCORE', x, '-inf', now)
end
`;

/**
 * KEYS: record, then per rate rule (req, tok, tokv), then per budget (hash, exp).
 * ARGV: rid, now, est, cost, reservationTtl, recordTtl, nRates, nBudgets, rateSlack,
 *       per rate (rpm|-1, tpm|-1, windowMs), per budget (limit, softMicros|-1, periodTtl|-1,
 *       gcAt|-1, startMs, softPct, id, level, label).
 * Returns {2} duplicate; {1, kind, index, limit, remaining, resetMs, ...} admitted;
 * {0, kind, index, limit, current, retryMs|-1} denied (kind 1 rpm, 2 tpm, 3 budget).
 */
export const admitLua = `${helpers}
local rid = ARGV[1]
local now = tonumber(ARGV[2])
if redis.call('EXISTS', KEYS[1]) == 1 then return {2} end
local est = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local resTtl = tonumber(ARGV[5])
local recTtl = tonumber(ARGV[6])
local nr = tonumber(ARGV[7])
local nb = tonumber(ARGV[8])
local slack = tonumber(ARGV[9])
local ra = 10
local ba = ra + nr * 3
local bk = 1 + nr * 3

-- Check everything first: a denial returns before anything is written.
local counts, sums = {}, {}
for i = 1, nr do
  local a = ra + (i - 1) * 3
  local rpm, tpm, win = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  local k = 1 + (i - 1) * 3
  local floor = now - win
  if rpm >= 0 then
    local z = KEYS[k + 1]
    redis.call('ZREMRANGEBYSCORE', z, '-inf', floor)
    local c = redis.call('ZCARD', z)
    if c >= rpm then
      local retry = -1
      if rpm > 0 then
        local e = redis.call('ZRANGE', z, c - rpm, c - rpm, 'WITHSCORES')
        retry = tonumber(e[2]) + win - now
      end
      return {0, 1, i, rpm, c, retry}
    end
    counts[i] = c
  end
  if tpm >= 0 then
    local z, h = KEYS[k + 2], KEYS[k + 3]
    trimTokens(z, h, floor)
    local sum = tonumber(redis.call('HGET', h, '_sum')) or 0
    if sum >= tpm or sum + est > tpm then
      local retry = -1
      if est <= tpm and tpm > 0 then
        local entries = redis.call('ZRANGE', z, 0, -1, 'WITHSCORES')
        local left = sum
        for e = 1, #entries, 2 do
          left = left - (tonumber(redis.call('HGET', h, entries[e])) or 0)
          if left < tpm and left + est <= tpm then
            retry = tonumber(entries[e + 1]) + win - now
            break
          end
        end
      end
      return {0, 2, i, tpm, sum, retry}
    end
    sums[i] = sum
  end
end
for j = 1, nb do
  local limit = tonumber(ARGV[ba + (j - 1) * 9])
  local h, x = KEYS[bk + (j - 1) * 2 + 1], KEYS[bk + (j - 1) * 2 + 2]
  reclaim(h, x, now)
  local v = redis.call('HMGET', h, 'spent', 'reserved')
  local cur = (tonumber(v[1]) or 0) + (tonumber(v[2]) or 0)
  if cur >= limit or cur + cost > limit then return {0, 3, j, limit, cur, -1} end
end

-- Every level can hold it: record the request everywhere.
local out = {1}
local trec = {}
for i = 1, nr do
  local a = ra + (i - 1) * 3
  local rpm, tpm, win = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  local k = 1 + (i - 1) * 3
  if rpm >= 0 then
    local z = KEYS[k + 1]
    redis.call('ZADD', z, now, rid)
    redis.call('PEXPIRE', z, win + slack)
    local first = redis.call('ZRANGE', z, 0, 0, 'WITHSCORES')
    local n = #out
    out[n + 1], out[n + 2], out[n + 3], out[n + 4], out[n + 5] = 1, i, rpm, rpm - counts[i] - 1, tonumber(first[2]) + win - now
  end
  if tpm >= 0 then
    local z, h = KEYS[k + 2], KEYS[k + 3]
    if est > 0 then
      redis.call('ZADD', z, now, rid)
      redis.call('HSET', h, rid, est)
      redis.call('HINCRBY', h, '_sum', est)
      redis.call('PEXPIRE', z, win + slack)
      redis.call('PEXPIRE', h, win + slack)
    end
    local reset = 0
    local first = redis.call('ZRANGE', z, 0, 0, 'WITHSCORES')
    if first[2] then reset = tonumber(first[2]) + win - now end
    local n = #out
    out[n + 1], out[n + 2], out[n + 3], out[n + 4], out[n + 5] = 2, i, tpm, tpm - sums[i] - est, reset
    trec[#trec + 1] = {z = z, h = h, w = ARGV[a + 2]}
  end
end
local brec = {}
for j = 1, nb do
  local a = ba + (j - 1) * 9
  local h, x = KEYS[bk + (j - 1) * 2 + 1], KEYS[bk + (j - 1) * 2 + 2]
  redis.call('HINCRBY', h, 'reserved', cost)
  redis.call('HSET', h, 'r:' .. rid, cost)
  redis.call('ZADD', x, now + resTtl, rid)
  local ttl = tonumber(ARGV[a + 2])
  if ttl >= 0 then
    redis.call('PEXPIRE', h, ttl)
    redis.call('PEXPIRE', x, ttl)
  end
  brec[j] = {h = h, x = x, l = ARGV[a], s = ARGV[a + 1], g = ARGV[a + 3], st = ARGV[a + 4],
    p = ARGV[a + 5], i = ARGV[a + 6], v = ARGV[a + 7], n = ARGV[a + 8]}
end
redis.call('SET', KEYS[1], cjson.encode({b = brec, t = trec}), 'PX', recTtl)
return out
`;

/**
 * KEYS: record, then (replay only) per rate rule (req, tok, tokv) and per budget (hash, exp).
 * ARGV: rid, now, tokens, cost, settledRetention, rateSlack, replay (0|1), admittedAt,
 *       nRates, nBudgets, per rate (rpm|-1, tpm|-1, windowMs), per budget as in admit.
 * Returns {2} duplicate, {3} unknown, {1, (id, level, label, limit, spent, pct, startMs)...}.
 */
export const settleLua = `
local rid = ARGV[1]
local now = tonumber(ARGV[2])
local raw = redis.call('GET', KEYS[1])
if raw == 's' then return {2} end
local tokens = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local slack = tonumber(ARGV[6])
local rec
if raw then
  rec = cjson.decode(raw)
elseif ARGV[7] == '1' then
  -- No reservation here (admitted by another store during an outage): record against the given rules.
  local at = tonumber(ARGV[8])
  local nr, nb = tonumber(ARGV[9]), tonumber(ARGV[10])
  local ra, ba, bk = 11, 11 + nr * 3, 1 + nr * 3
  rec = {b = {}, t = {}}
  for i = 1, nr do
    local a = ra + (i - 1) * 3
    local rpm, tpm, win = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
    local k = 1 + (i - 1) * 3
    if rpm >= 0 and at > now - win then
      redis.call('ZADD', KEYS[k + 1], at, rid)
      redis.call('PEXPIRE', KEYS[k + 1], win + slack)
    end
    if tpm >= 0 then rec.t[#rec.t + 1] = {z = KEYS[k + 2], h = KEYS[k + 3], w = ARGV[a + 2]} end
  end
  for j = 1, nb do
    local a = ba + (j - 1) * 9
    rec.b[j] = {h = KEYS[bk + (j - 1) * 2 + 1], x = KEYS[bk + (j - 1) * 2 + 2], l = ARGV[a], s = ARGV[a + 1],
      g = ARGV[a + 3], st = ARGV[a + 4], p = ARGV[a + 5], i = ARGV[a + 6], v = ARGV[a + 7], n = ARGV[a + 8]}
  end
else
  return {3}
end

local out = {1}
local field = 'r:' .. rid
for _, b in ipairs(rec.b) do
  local amt = tonumber(redis.call('HGET', b.h, field))
  if amt then
    redis.call('HDEL', b.h, field)
    redis.call('HINCRBY', b.h, 'reserved', -amt)
    redis.call('ZREM', b.x, rid)
  end
  local spent
  if cost ~= 0 then
    spent = redis.call('HINCRBY', b.h, 'spent', cost)
  else
    spent = tonumber(redis.call('HGET', b.h, 'spent')) or 0
  end
  -- A settle after the period's keys were collected recreates the hash: give it a TTL again.
  local g = tonumber(b.g)
  if g >= 0 and redis.call('PTTL', b.h) == -1 then redis.call('PEXPIRE', b.h, math.max(g - now, 60000)) end
  local soft = tonumber(b.s)
  if soft >= 0 and spent >= soft and redis.call('HSETNX', b.h, 'soft', '1') == 1 then
    local n = #out
    out[n + 1], out[n + 2], out[n + 3], out[n + 4], out[n + 5], out[n + 6], out[n + 7] = b.i, b.v, b.n, b.l, spent, b.p, b.st
  end
end
for _, t in ipairs(rec.t) do
  local v = tonumber(redis.call('HGET', t.h, rid))
  if v then
    redis.call('HDEL', t.h, rid)
    redis.call('ZREM', t.z, rid)
    redis.call('HINCRBY', t.h, '_sum', -v)
  end
  if tokens > 0 then
    local w = tonumber(t.w)
    redis.call('ZADD', t.z, now, rid)
    redis.call('HSET', t.h, rid, tokens)
    redis.call('HINCRBY', t.h, '_sum', tokens)
    redis.call('PEXPIRE', t.z, w + slack)
    redis.call('PEXPIRE', t.h, w + slack)
  end
end
redis.call('SET', KEYS[1], 's', 'PX', tonumber(ARGV[5]))
return out
`;

/** KEYS: budget hash, exp. ARGV: now. Returns {spent, reserved} after reclaiming expired reservations. */
export const spendLua = `${helpers}
local now = tonumber(ARGV[1])
reclaim(KEYS[1], KEYS[2], now)
local v = redis.call('HMGET', KEYS[1], 'spent', 'reserved')
return {tonumber(v[1]) or 0, tonumber(v[2]) or 0}
`;
