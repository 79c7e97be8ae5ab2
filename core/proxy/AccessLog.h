#pragma once

#include "config/Config.h"

#include <QStringView>

#include <atomic>

struct TraceRecord;

// The access log: one line per proxied request in the category gatehouse.access, written as its trace is submitted.
// Failed requests always (5xx and upstream failures at warning, the rest at info), successful ones per log.access
// and log.access_sample. Names keys by their shown prefix only; never a secret, a query or a body.
class AccessLog
{
public:
    AccessLog(Config::AccessLog mode, int sample) { configure(mode, sample); }

    // A reload: takes effect from the next request on, on every worker.
    void configure(Config::AccessLog mode, int sample)
    {
        m_mode.store(mode, std::memory_order_relaxed);
        m_sample.store(qMax(1, sample), std::memory_order_relaxed);
    }

    // keyPrefix: the gateway key's shown prefix (empty when the client sent none we know); providerType: its name.
    void write(const TraceRecord& trace, QStringView keyPrefix, QStringView providerType);

private:
    std::atomic<Config::AccessLog> m_mode;
    std::atomic<int> m_sample;
    std::atomic<quint64> m_successes{0};
};
