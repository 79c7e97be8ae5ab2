#include "cache/SharedLimits.h"

#include "common/Logging.h"

#include <QPointer>

#include <algorithm>

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

// The GCRA of balance/KeyLimits: a unit costs window/limit, and fits while the theoretical arrival time (TAT) stays
// within one window ahead of now. ARGV holds per limit (window in ms, limit, need, want, give back): a rate first takes
// back the unused units of the lease it replaces, then grants between need and want units, as many as fit; need 0
// only asks that the bucket is not entirely spent. Nothing is granted unless every limit has its need. Returns {0, 0,
// granted...}, or the milliseconds until the request would fit and which limit (from 1) refused the longest.
const QByteArray kAcquireScript = kPrologue + "local wait, worst = 0, 0\n"
                                              "local tats, returned, granted = {}, {}, {}\n"
                                              "for i, key in ipairs(KEYS) do\n"
                                              "  local window = tonumber(ARGV[5 * i - 4]) * 1000\n"
                                              "  local limit = tonumber(ARGV[5 * i - 3])\n"
                                              "  local need = tonumber(ARGV[5 * i - 2])\n"
                                              "  local want = tonumber(ARGV[5 * i - 1])\n"
                                              "  local giveBack = tonumber(ARGV[5 * i])\n"
                                              "  local late = 0\n"
                                              "  granted[i] = 0\n"
                                              "  if window == 0 then\n"
                                              "    local spent = tonumber(redis.call('GET', dayKey(key)) or '0')\n"
                                              "    if spent >= limit then late = day - now % day end\n"
                                              "  else\n"
                                              "    local interval = math.max(1, math.floor(window / limit))\n"
                                              "    local tat = math.max(tonumber(redis.call('GET', key) or '0'), now)\n"
                                              "    if giveBack > 0 then\n"
                                              "      tat = math.max(tat - giveBack * interval, now)\n"
                                              "      returned[i] = tat\n"
                                              "    end\n"
                                              "    local fit = math.floor((now + window - tat) / interval)\n"
                                              "    if need == 0 then\n"
                                              "      late = tat + 1 - window - now\n"
                                              "    elseif fit < need then\n"
                                              "      late = tat + need * interval - window - now\n"
                                              "    else\n"
                                              "      granted[i] = math.min(want, fit)\n"
                                              "      tats[i] = tat + granted[i] * interval\n"
                                              "    end\n"
                                              "  end\n"
                                              "  if late > wait then wait, worst = late, i end\n"
                                              "end\n"
                                              "if wait > 0 then tats = returned end\n"
                                              "for i, key in ipairs(KEYS) do\n"
                                              "  if tats[i] and tats[i] > now then\n"
                                              "    redis.call('SET', key, fmt(tats[i]), 'PX', "
                                              "math.ceil((tats[i] - now) / 1000))\n"
                                              "  elseif tats[i] then\n"
                                              "    redis.call('DEL', key)\n"
                                              "  end\n"
                                              "end\n"
                                              "if wait > 0 then return {math.ceil(wait / 1000), worst} end\n"
                                              "return {0, 0, unpack(granted)}\n";

// Rates move their TAT on by the units (at most ten windows of debt, as KeyLimits bounds it); daily totals add them.
// Units are positive (add() sends no others).
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
    m_clock.start();
    connect(&m_redis, &RedisConnection::connected, this, &SharedLimits::sendUnsent);
    connect(&m_sendTimer, &QTimer::timeout, this, &SharedLimits::sendUnsent);
    m_sendTimer.start(kSendIntervalMs);
    m_redis.open();
}

SharedLimits::Verdict SharedLimits::acquire(const QList<Limit>& limits, Done done)
{
    if (takeLeased(limits))
        return Verdict::Admitted;
    QByteArrayList arguments{"EVAL", kAcquireScript, QByteArray::number(limits.size())};
    for (const Limit& limit : limits)
        arguments.append(kKeyPrefix + limit.name);
    QList<bool> leasing; // per limit: this request asks for its lease
    for (const Limit& limit : limits) {
        qint64 want = 0;
        qint64 giveBack = 0;
        leasing.append(isRate(limit) && !m_leases[limit.name].asking);
        if (leasing.last()) {
            Lease& lease = m_leases[limit.name];
            want = leaseSize(limit, lease);
            giveBack = lease.units; // what is left of the lease is replaced by the new one
            lease.units = 0;
            lease.asking = true;
        } else if (isRate(limit)) {
            want = limit.units; // the lease is on its way: this request takes only its own
        }
        arguments << QByteArray::number(limit.windowMs) << QByteArray::number(limit.limit)
                  << QByteArray::number(limit.units) << QByteArray::number(want) << QByteArray::number(giveBack);
    }
    // RedisConnection fails at once when not connected, and always calls back from the event loop.
    m_redis.command(arguments, [self = QPointer<SharedLimits>(this), limits, leasing,
                                done = std::move(done)](const Result<RedisReply>& reply) {
        const bool valid = reply.ok() && reply->type == RedisReply::Type::Array && reply->elements.size() >= 2;
        const bool admitted = valid && reply->elements[0].integer == 0;
        if (self)
            self->keepLeases(limits, leasing,
                             admitted && reply->elements.size() == limits.size() + 2 ? reply->elements.mid(2)
                                                                                     : QList<RedisReply>());
        if (!valid || (admitted && reply->elements.size() != limits.size() + 2))
            return done({});
        if (!admitted)
            return done({Verdict::Refused, reply->elements[0].integer, int(reply->elements[1].integer) - 1});
        done({Verdict::Admitted});
    });
    return Verdict::Pending;
}

// Spends what the leases hold, if they hold all the request takes.
bool SharedLimits::takeLeased(const QList<Limit>& limits)
{
    const qint64 now = m_clock.elapsed();
    for (const Limit& limit : limits) {
        const auto it = m_leases.constFind(limit.name);
        if (it == m_leases.constEnd() || it->untilMs < now || it->units < limit.units)
            return false;
    }
    for (const Limit& limit : limits)
        m_leases[limit.name].units -= limit.units;
    return true;
}

bool SharedLimits::isRate(const Limit& limit)
{
    return limit.windowMs > 0 && limit.units > 0;
}

// How much to lease: about what this worker spends while a lease lasts. It doubles when the lease ran out before its
// time and halves when it expired mostly unused, up to a kLeaseShare-th of the limit; a bigger lease would let more
// units be used later than Redis counted them. (A request may also come here with units left, when another of its
// limits needs Redis: the size then stays.)
qint64 SharedLimits::leaseSize(const Limit& limit, Lease& lease)
{
    const qint64 now = m_clock.elapsed();
    if (lease.untilMs > 0) {
        if (lease.untilMs >= now && lease.units < limit.units)
            lease.size *= 2;
        else if (lease.untilMs < now && lease.units * 2 > lease.size)
            lease.size /= 2;
    }
    // Redis counts in microseconds: a limit above one per microsecond of its window is that many.
    const qint64 capacity = std::min(limit.limit, limit.windowMs * 1000);
    lease.size = std::clamp(lease.size, limit.units, std::max(limit.units, capacity / kLeaseShare));
    return lease.size;
}

// What Redis granted beyond the request's own units joins the lease of the next requests; `granted` is empty when
// nothing was.
void SharedLimits::keepLeases(const QList<Limit>& limits, const QList<bool>& leasing, const QList<RedisReply>& granted)
{
    const qint64 now = m_clock.elapsed();
    for (qsizetype i = 0; i < limits.size(); ++i) {
        const Limit& limit = limits[i];
        Lease& lease = m_leases[limit.name];
        if (leasing[i])
            lease.asking = false;
        if (granted.isEmpty())
            continue;
        if (!isRate(limit))
            lease.untilMs = now + kCheckMs;
        else if (leasing[i]) // a request that took only its own unit leaves the lease as it is
            lease = Lease{granted[i].integer - limit.units, now + kLeaseMs, lease.size};
    }
}

void SharedLimits::add(const QList<Limit>& limits)
{
    for (const Limit& limit : limits) {
        if (limit.units <= 0)
            continue;
        const auto it = m_unsent.find(limit.name);
        if (it == m_unsent.end())
            m_unsent.insert(limit.name, limit);
        else
            it->units += limit.units;
    }
}

// Everything added since the last time, merged per counter, in one script. A day's total kept past midnight lands in
// the new day: a budget is a guard rail, not an invoice.
void SharedLimits::sendUnsent()
{
    if (m_unsent.isEmpty() || !m_redis.isConnected())
        return;
    const QList<Limit> limits = m_unsent.values();
    m_unsent.clear();
    QByteArrayList arguments{"EVAL", kAddScript, QByteArray::number(limits.size())};
    for (const Limit& limit : limits)
        arguments.append(kKeyPrefix + limit.name);
    for (const Limit& limit : limits)
        arguments << QByteArray::number(limit.windowMs) << QByteArray::number(limit.limit)
                  << QByteArray::number(limit.units);
    m_redis.command(arguments, [self = QPointer<SharedLimits>(this), limits](const Result<RedisReply>& reply) {
        if (!self)
            return;
        // Not sent: kept for the next time. (A reply lost after the script ran counts the units twice: too much,
        // never too little.)
        if (!reply.ok())
            return self->add(limits);
        if (reply->isError())
            LogLine(lcCache(), QtWarningMsg, u"shared limits not counted")
                .field("error", QString::fromUtf8(reply->string));
    });
}
