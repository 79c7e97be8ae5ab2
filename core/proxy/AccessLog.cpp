#include "proxy/AccessLog.h"

#include "common/Logging.h"
#include "storage/TraceRecord.h"

namespace {

bool isUpstreamFailure(const QString& errorKind)
{
    return errorKind.startsWith(QLatin1String("upstream_")) || errorKind == QLatin1String("stream_cut");
}

} // namespace

void AccessLog::write(const TraceRecord& trace, QStringView keyPrefix, QStringView providerType)
{
    const Config::AccessLog mode = m_mode.load(std::memory_order_relaxed);
    if (mode == Config::AccessLog::Off)
        return;
    const int sample = m_sample.load(std::memory_order_relaxed);
    if (trace.success && (mode == Config::AccessLog::Errors ||
                          (sample > 1 && m_successes.fetch_add(1, std::memory_order_relaxed) % quint64(sample) != 0)))
        return;
    const bool serious = trace.status >= 500 || isUpstreamFailure(trace.errorKind);
    LogLine line(lcAccess(), serious ? QtWarningMsg : QtInfoMsg, u"request");
    line.field("request_id", trace.requestId)
        .field("method", trace.method)
        .field("path", trace.path)
        .field("model", trace.model)
        .field("status", trace.status)
        .field("duration_ms", trace.durationMs)
        .field("ttfb_ms", trace.ttfbMs)
        .field("prompt_tokens", trace.tokens.prompt)
        .field("completion_tokens", trace.tokens.completion)
        .field("total_tokens", trace.tokens.total)
        .field("cost_micros", trace.costMicros)
        .field("retries", trace.retries)
        .field("user_id", trace.userId)
        .field("key", keyPrefix)
        .field("provider", providerType)
        .field("provider_key_id", trace.providerKeyId)
        .field("client", trace.clientAddress);
    if (!trace.success)
        line.field("error", trace.errorKind).field("error_message", trace.errorMessage);
}
