#pragma once

#include "balance/Selection.h"
#include "cache/SharedLimits.h"
#include "common/LoopClock.h"
#include "health/KeyOutcome.h"
#include "http/HttpExchange.h"
#include "http/HttpHeaders.h"
#include "http/UpstreamExchange.h"
#include "providers/ProviderErrors.h"
#include "providers/SseParser.h"
#include "proxy/ProxyContext.h"
#include "proxy/RoutingTable.h"
#include "storage/TraceRecord.h"

#include <QBasicTimer>
#include <QObject>

#include <memory>
#include <optional>
#include <vector>

class OpenAiStreamUsage;
class UsageExtractor;

// One proxied request, from its head to its trace, run as an ordered chain: authenticate the gateway key ->
// check its limits -> read the body -> select a provider key -> forward -> stream the answer back while reading
// usage -> report the key's outcome -> trace. Before the client has seen a byte, a connect failure, timeout, 429 or
// 5xx moves the request to another key of the pool (up to the gateway key's retry count); after that, never. A
// provider refusing the key (401/403) is answered as it is: the request may be at fault, so only the key's own probe
// may condemn the key. Its exchange owns it, so it ends with it.
class ActiveRequest : public QObject, private HttpExchange::Listener, private UpstreamExchange::Listener
{
    Q_OBJECT

public:
    // Runs the request, and hands the exchange its ownership.
    static void start(HttpExchange* exchange, const ProxyContext& context);
    ~ActiveRequest() override;

protected:
    void timerEvent(QTimerEvent* event) override; // the deadline, and the wait for a refresh

private:
    ActiveRequest(HttpExchange* exchange, const ProxyContext& context);
    void run();
    void authenticate();
    void routeLimitsDecided(SharedLimits::Answer answer);
    void failOverLimit(bool budget, qint64 retryAfterMs);
    void readBody();
    void chooseKey();
    Selection selectKey() const;
    void useKey();
    void keyLimitsDecided(SharedLimits::Answer answer);
    void attempt();
    // HttpExchange::Listener
    void bodyData(const QByteArray& data) override;
    void bodyEnd() override;
    void drained() override;
    void clientDisconnected() override;
    // UpstreamExchange::Listener
    void responseHead(int status, const HttpHeaders& headers) override;
    void responseData(const QByteArray& data) override;
    void finished() override;
    void failed(const UpstreamError& error) override;

    bool mayRetry() const;
    void retryAfter(const KeyOutcome& outcome);
    const KeyCredential& credential() const;
    void awaitRefresh();
    void refreshDone(bool refreshed, const KeyCredential& current);
    void endAttempt(const KeyOutcome& outcome);
    void fail(GatewayError kind, const QString& message, std::optional<qint64> retryAfterMs = std::nullopt);
    void readUsage(QByteArrayView data);
    QByteArray finishUsageFilter();
    void chargeUsage(bool ended); // `ended`: the provider's answer is complete
    void finish();                // records the trace, once

    ErrorFormat errorFormat() const;
    LoopClock::Clock::duration elapsed() const { return LoopClock::now() - m_startedAt; }
    qint64 elapsedMs() const { return std::chrono::duration_cast<std::chrono::milliseconds>(elapsed()).count(); }

    HttpExchange* m_exchange;
    const ProxyContext& m_context;
    std::shared_ptr<const RoutingTable> m_table; // keeps the pool that m_key points into alive
    const GatewayKeyRoute* m_route = nullptr;
    const PoolKey* m_key = nullptr;
    std::vector<qint64> m_tried;
    std::vector<qint64> m_passedOver;         // keys whose shared limits were spent
    qint64 m_sharedRetryAfterMs = 0;          // the soonest one of them frees up
    std::optional<KeyOutcome> m_retriedAfter; // what the attempt before a retry met
    std::unique_ptr<UpstreamExchange> m_upstream;
    QBasicTimer m_deadline;
    LoopClock::Clock::time_point m_startedAt;
    qint64 m_attemptStartedMs = 0;
    qint64 m_retryAfterMs = 0; // of a 429 passed on to the client: the key cools down that long
    QString m_keyPrefix;       // the shown prefix of an unknown key shaped like ours (a known key's is in its route)
    QByteArray m_keyHeader;    // where the client's key was found, when in a header
    QByteArray m_forwardQuery;
    QByteArray m_body;
    QByteArray m_lastPiece; // of the response, held for finished() to send with the end
    qint64 m_bodyTaken = 0; // of the body budget, given back at the end
    std::unique_ptr<UsageExtractor> m_usage;
    std::unique_ptr<OpenAiStreamUsage> m_usageFilter;
    QList<SseEvent> m_streamEvents; // parsed by m_usageFilter, for m_usage to read after the piece went out
    bool m_filterUsage = false;
    bool m_responding = false; // the head went to the client: no more retries
    bool m_finished = false;
    bool m_refreshTried = false; // an OAuth key's token refused: refreshed once, then the request sent again
    std::optional<QPair<qint64, KeyCredential>> m_refreshed; // that key and its new credential
    QMetaObject::Connection m_refreshWait;
    QBasicTimer m_refreshWaitTimer;
    TraceRecord m_trace;
};
