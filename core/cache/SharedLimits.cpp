#include "cache/SharedLimits.h"

#include <QPointer>

namespace {

// Both scripts read Redis's clock in microseconds (a Lua number is a double: exact to 2^53, centuries away) and take
// per limit the ARGV triple (window in ms, limit, units). A daily total's counter is named after the UTC day on
// Redis's clock, so every instance turns the day at the same moment. Keys outside KEYS are fine on a single Redis;
// Gatehouse does not support Redis Cluster.
const QByteArray kPrologue = "local t = redis.call('TIME')\n"
                             "local now = tonumber(t[1]) * 1000000 + tonumber(t[2])\n"
                             "local day = 86400000000\n"
                             "local function fmt(n) return string.format('%.0f', n) end\n"
                             "local function dayKey(key) return key .. ':' .. fmt(math.floor(now / day)) end\n";

// The GCRA of balance/KeyLimits: a unit costs window/limit, and is allowed while the theoretical arrival time (TAT)
// stays within one window ahead of now; units 0 asks whether the bucket is not entirely spent. Nothing is taken unless
// everything is allowed. Returns {0, 0}, or the milliseconds until the request would be allowed and which limit
// (from 1) refused the longest.
const QByteArray kAcquireScript = kPrologue + "local wait, worst = 0, 0\n"
                                              "local tats = {}\n"
                                              "for i, key in ipairs(KEYS) do\n"
                                              "  local window = tonumber(ARGV[3 * i - 2]) * 1000\n"
                                              "  local limit = tonumber(ARGV[3 * i - 1])\n"
                                              "  local units = tonumber(ARGV[3 * i])\n"
                                              "  if window == 0 then\n"
                                              "    local spent = tonumber(redis.call('GET', dayKey(key)) or '0')\n"
                                              "    if spent >= limit and day - now % day > wait then\n"
                                              "      wait, worst = day - now % day, i\n"
                                              "    end\n"
                                              "  else\n"
                                              "    local interval = math.max(1, math.floor(window / limit))\n"
                                              "    local tat = math.max(tonumber(redis.call('GET', key) or '0'), now)\n"
                                              "    local need = units > 0 and units * interval or 1\n"
                                              "    if tat + need - window - now > wait then\n"
                                              "      wait, worst = tat + need - window - now, i\n"
                                              "    end\n"
                                              "    if units > 0 then tats[i] = tat + units * interval end\n"
                                              "  end\n"
                                              "end\n"
                                              "if wait > 0 then return {math.ceil(wait / 1000), worst} end\n"
                                              "for i, key in ipairs(KEYS) do\n"
                                              "  if tats[i] then\n"
                                              "    redis.call('SET', key, fmt(tats[i]), 'PX', "
                                              "math.ceil((tats[i] - now) / 1000))\n"
                                              "  end\n"
                                              "end\n"
                                              "return {0, 0}\n";

// Rates move their TAT on by the units (at most ten windows of debt, as KeyLimits bounds it); daily totals add them.
const QByteArray kAddScript = kPrologue + "for i, key in ipairs(KEYS) do\n"
                                          "  local window = tonumber(ARGV[3 * i - 2]) * 1000\n"
                                          "  local limit = tonumber(ARGV[3 * i - 1])\n"
                                          "  local units = tonumber(ARGV[3 * i])\n"
                                          "  if window == 0 then\n"
                                          "    redis.call('INCRBY', dayKey(key), ARGV[3 * i])\n"
                                          "    redis.call('PEXPIRE', dayKey(key), 2 * day / 1000)\n"
                                          "  else\n"
                                          "    local interval = math.max(1, math.floor(window / limit))\n"
                                          "    local tat = math.max(tonumber(redis.call('GET', key) or '0'), now)\n"
                                          "    tat = tat + math.min(units, 10 * math.floor(window / interval)) * "
                                          "interval\n"
                                          "    redis.call('SET', key, fmt(tat), 'PX', math.ceil((tat - now) / 1000))\n"
                                          "  end\n"
                                          "end\n"
                                          "return 0\n";

const QByteArray kKeyPrefix = "gatehouse:limit:";

} // namespace

SharedLimits::SharedLimits(const RedisUrl& url, RedisConnection::Options options, QObject* parent)
    : QObject(parent), m_redis(url, options)
{
    connect(&m_redis, &RedisConnection::connected, this, &SharedLimits::sendUnsent);
    m_redis.open();
}

QByteArrayList SharedLimits::evalArguments(const QByteArray& script, const QList<Limit>& limits)
{
    QByteArrayList arguments{"EVAL", script, QByteArray::number(limits.size())};
    for (const Limit& limit : limits)
        arguments.append(kKeyPrefix + limit.name);
    for (const Limit& limit : limits) {
        arguments.append(QByteArray::number(limit.windowMs));
        arguments.append(QByteArray::number(limit.limit));
        arguments.append(QByteArray::number(limit.units));
    }
    return arguments;
}

void SharedLimits::acquire(const QList<Limit>& limits, Done done)
{
    // RedisConnection fails at once when not connected, and always calls back from the event loop.
    m_redis.command(evalArguments(kAcquireScript, limits), [done = std::move(done)](const Result<RedisReply>& reply) {
        if (!reply.ok() || reply->type != RedisReply::Type::Array || reply->elements.size() != 2)
            return done({});
        const qint64 waitMs = reply->elements[0].integer;
        if (waitMs == 0)
            return done({Verdict::Admitted});
        done({Verdict::Refused, waitMs, int(reply->elements[1].integer) - 1});
    });
}

void SharedLimits::add(const QList<Limit>& limits)
{
    if (!m_redis.isConnected())
        return keepUnsent(limits);
    m_redis.command(evalArguments(kAddScript, limits),
                    [self = QPointer<SharedLimits>(this), limits](const Result<RedisReply>& reply) {
                        // A reply lost after the script ran counts the units twice: too much, never too little.
                        if (self && !reply.ok())
                            self->keepUnsent(limits);
                    });
}

void SharedLimits::keepUnsent(const QList<Limit>& limits)
{
    for (const Limit& limit : limits) {
        const auto it = m_unsent.find(limit.name);
        if (it == m_unsent.end())
            m_unsent.insert(limit.name, limit);
        else
            it->units += limit.units;
    }
}

// A day's total kept past midnight lands in the new day: a budget is a guard rail, not an invoice.
void SharedLimits::sendUnsent()
{
    if (m_unsent.isEmpty())
        return;
    add(m_unsent.values());
    m_unsent.clear();
}
