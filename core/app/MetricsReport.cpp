#include "app/MetricsReport.h"

#include "common/PrometheusText.h"

namespace {

// For error kinds, which the gateway names; a provider label stays empty for requests refused before a gateway key
// was known (an admin may name a provider type "none").
QString orNone(const QString& value)
{
    return value.isEmpty() ? QStringLiteral("none") : value;
}

} // namespace

QByteArray MetricsReport::text() const
{
    PrometheusText out;

    out.family("gatehouse_requests_total", "counter",
               "Proxied requests answered, by provider type, status class and error kind (none when it succeeded)");
    for (auto it = proxy.requests.constBegin(); it != proxy.requests.constEnd(); ++it)
        out.sample("gatehouse_requests_total",
                   {{"provider", it.key().provider},
                    {"status_class", it.key().statusClass},
                    {"error_kind", orNone(it.key().errorKind)}},
                   double(it.value()));
    out.family("gatehouse_request_duration_seconds", "histogram", "Time from a request's head to its last byte");
    for (auto it = proxy.providers.constBegin(); it != proxy.providers.constEnd(); ++it)
        out.histogram("gatehouse_request_duration_seconds", {{"provider", it.key()}}, it->durations);
    out.family("gatehouse_time_to_first_byte_seconds", "histogram",
               "Time from a request's head to the first byte of its answer sent to the client");
    for (auto it = proxy.providers.constBegin(); it != proxy.providers.constEnd(); ++it)
        out.histogram("gatehouse_time_to_first_byte_seconds", {{"provider", it.key()}}, it->firstBytes);
    out.family("gatehouse_tokens_total", "counter", "Tokens the providers counted, by direction");
    for (auto it = proxy.providers.constBegin(); it != proxy.providers.constEnd(); ++it) {
        out.sample("gatehouse_tokens_total", {{"provider", it.key()}, {"direction", QStringLiteral("input")}},
                   double(it->inputTokens));
        out.sample("gatehouse_tokens_total", {{"provider", it.key()}, {"direction", QStringLiteral("output")}},
                   double(it->outputTokens));
    }
    out.family("gatehouse_cost_usd_total", "counter", "What the answers cost at the configured prices, in US dollars");
    for (auto it = proxy.providers.constBegin(); it != proxy.providers.constEnd(); ++it)
        out.sample("gatehouse_cost_usd_total", {{"provider", it.key()}}, double(it->costMicros) / 1e6);

    using Status = KeyHealthSnapshot::Status;
    out.family("gatehouse_provider_key_state", "gauge", "1 for the state each provider key is in");
    for (const auto& [id, key] : keys) {
        for (const Status status : {Status::Healthy, Status::CoolingDown, Status::Ejected, Status::Invalid})
            out.sample("gatehouse_provider_key_state",
                       {{"key_id", QString::number(id)}, {"state", KeyHealthSnapshot::statusName(status)}},
                       key.status == status ? 1 : 0);
    }
    out.family("gatehouse_provider_key_in_flight", "gauge", "Requests a provider key is serving now");
    for (const auto& [id, key] : keys)
        out.sample("gatehouse_provider_key_in_flight", {{"key_id", QString::number(id)}}, key.inFlight);
    out.family("gatehouse_provider_key_cooldown_seconds", "gauge",
               "How long a provider key still rests after a 429 (0: it does not)");
    for (const auto& [id, key] : keys)
        out.sample("gatehouse_provider_key_cooldown_seconds", {{"key_id", QString::number(id)}},
                   double(key.coolingDownForMs) / 1000);
    out.family("gatehouse_provider_key_ejection_seconds", "gauge",
               "How long a provider key is still ejected after failures in a row (0: it is not)");
    for (const auto& [id, key] : keys)
        out.sample("gatehouse_provider_key_ejection_seconds", {{"key_id", QString::number(id)}},
                   double(key.ejectedForMs) / 1000);
    out.family("gatehouse_provider_key_outcomes_total", "counter",
               "Outcomes of requests sent with each provider key, as its health counts them");
    for (const auto& [id, key] : keys) {
        out.sample("gatehouse_provider_key_outcomes_total",
                   {{"key_id", QString::number(id)}, {"outcome", QStringLiteral("success")}}, double(key.successes));
        out.sample("gatehouse_provider_key_outcomes_total",
                   {{"key_id", QString::number(id)}, {"outcome", QStringLiteral("failure")}}, double(key.failures));
    }

    out.family("gatehouse_http_connections_open", "gauge", "Client connections open on the proxy port");
    out.sample("gatehouse_http_connections_open", {}, double(engine.connectionsOpen));
    out.family("gatehouse_http_connections_accepted_total", "counter", "Client connections accepted");
    out.sample("gatehouse_http_connections_accepted_total", {}, double(engine.connectionsAccepted));
    out.family("gatehouse_http_requests_total", "counter", "Requests read on the proxy port, /api and probes included");
    out.sample("gatehouse_http_requests_total", {}, double(engine.requests));
    out.family("gatehouse_http_received_bytes_total", "counter", "Bytes read from clients");
    out.sample("gatehouse_http_received_bytes_total", {}, double(engine.bytesIn));
    out.family("gatehouse_http_sent_bytes_total", "counter", "Bytes written to clients");
    out.sample("gatehouse_http_sent_bytes_total", {}, double(engine.bytesOut));
    out.family("gatehouse_http_errors_total", "counter",
               "Connection-level errors: malformed requests (parse errors), limits, timeouts, upstream failures");
    for (size_t i = 0; i < size_t(HttpErrorKind::Count); ++i)
        out.sample("gatehouse_http_errors_total", {{"kind", httpErrorKindName(HttpErrorKind(i))}},
                   double(engine.errors[i]));
    out.family("gatehouse_upstream_connections_total", "counter", "Connections to providers, opened or reused");
    out.sample("gatehouse_upstream_connections_total", {{"reused", QStringLiteral("false")}},
               double(engine.upstreamConnectionsOpened));
    out.sample("gatehouse_upstream_connections_total", {{"reused", QStringLiteral("true")}},
               double(engine.upstreamConnectionsReused));

    out.family("gatehouse_trace_queue_length", "gauge", "Traces waiting for the trace writer");
    out.sample("gatehouse_trace_queue_length", {}, double(tracesQueued));
    out.family("gatehouse_traces_total", "counter", "Traces by what became of them");
    out.sample("gatehouse_traces_total", {{"result", QStringLiteral("written")}}, double(tracesWritten));
    out.sample("gatehouse_traces_total", {{"result", QStringLiteral("failed")}}, double(tracesFailed));
    out.sample("gatehouse_traces_total", {{"result", QStringLiteral("dropped")}}, double(tracesDropped));
    out.family("gatehouse_trace_batches_refused_total", "counter",
               "Trace batches the database refused (their rows are kept for the next batch)");
    out.sample("gatehouse_trace_batches_refused_total", {}, double(traceBatchesRefused));
    out.family("gatehouse_trace_batch_duration_seconds", "histogram", "Time to write one batch of traces");
    out.histogram("gatehouse_trace_batch_duration_seconds", {}, traceBatches);

    out.family("gatehouse_database_up", "gauge", "1 when the database answered this scrape");
    out.sample("gatehouse_database_up", {}, databaseUp ? 1 : 0);
    out.family("gatehouse_redis_configured", "gauge", "1 when this instance shares limits and changes through Redis");
    out.sample("gatehouse_redis_configured", {}, redisConfigured ? 1 : 0);
    out.family("gatehouse_redis_up", "gauge", "1 when Redis is configured and connected");
    out.sample("gatehouse_redis_up", {}, redisUp ? 1 : 0);

    out.family("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch in seconds");
    out.sample("process_start_time_seconds", {}, double(startTimeSeconds));
    out.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes");
    out.sample("process_resident_memory_bytes", {}, double(residentBytes));
    return out.text();
}
