#pragma once

#include "cache/RedisReply.h"
#include "cache/RedisUrl.h"
#include "common/Result.h"

#include <QByteArrayList>
#include <QDeadlineTimer>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>
#include <map>

struct redisAsyncContext;
class RedisEventAdapter;

// One hiredis async connection to Redis on the event loop of the thread that owns it (use it from that thread only).
// It connects on open() and, whenever the connection fails or drops, reconnects with a fresh context after a backoff
// that doubles from minBackoffMs to maxBackoffMs. Commands never wait for a connection: while not connected they fail
// at once, so callers fall back. Every command has a timeout; because replies come in order, a command that times
// out means every command behind it is stuck too, so the connection is dropped and re-established.
// Callbacks always run from the event loop, never inside command(); pending callbacks are dropped when the
// connection object is destroyed.
class RedisConnection : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int connectTimeoutMs = 2000; // TCP connect plus AUTH/SELECT/PING
        int commandTimeoutMs = 1000;
        int minBackoffMs = 100;
        int maxBackoffMs = 5000;
        // Whether losing, failing and regaining the connection are logged as warnings and info, or only for debugging:
        // an instance reports Redis's outages through one connection, not through every worker's.
        bool reportsOutages = true;
    };
    enum class State { Disconnected, Connecting, Connected };
    using Callback = std::function<void(const Result<RedisReply>&)>;

    explicit RedisConnection(RedisUrl url, QObject* parent = nullptr);
    RedisConnection(RedisUrl url, Options options, QObject* parent = nullptr);
    ~RedisConnection() override;

    void open();
    State state() const { return m_state; }
    bool isConnected() const { return m_state == State::Connected; }
    const RedisUrl& url() const { return m_url; }

    // Sends one command (binary-safe arguments: {"SET", key, value}). Fails with code "redis_unavailable" when not
    // connected or the connection drops before the reply, "redis_timeout" when no reply comes in time.
    void command(const QByteArrayList& arguments, Callback done);

    // Puts this connection in subscribe mode for good (Redis then refuses other commands on it): messages on the
    // channel arrive as messageReceived(); every reconnect subscribes again and emits subscribed().
    void subscribe(const QByteArray& channel);

signals:
    void connected();
    void disconnected();
    void subscribed(const QByteArray& channel);
    void messageReceived(const QByteArray& channel, const QByteArray& message);

private:
    struct Pending
    {
        Callback done;
        QDeadlineTimer deadline;
    };
    struct Completion
    {
        Callback done;
        Result<RedisReply> result;
    };
    struct Event // from a subscription
    {
        bool confirmation;
        QByteArray channel;
        QByteArray message;
    };

    static void onConnect(const redisAsyncContext* context, int status);
    static void onDisconnect(const redisAsyncContext* context, int status);
    static void onReply(redisAsyncContext* context, void* reply, void* privdata);
    static void onSubscriptionReply(redisAsyncContext* context, void* reply, void* privdata);

    QtMsgType outageLevel(QtMsgType level) const { return m_options.reportsOutages ? level : QtDebugMsg; }
    void connectNow();
    void logConnectFailure(const char* error) const;
    void sendHandshake();
    void send(const QByteArrayList& arguments, Callback done, QDeadlineTimer deadline);
    void sendSubscribe(const QByteArray& channel);
    void complete(quint64 id, Result<RedisReply> result);
    void scheduleDelivery();
    void deliver();
    void expireCommands();
    void drop(const QString& reason);
    void contextGone();
    void scheduleConnectionLost();
    void handleConnectionLost();

    RedisUrl m_url;
    Options m_options;
    State m_state = State::Disconnected;
    bool m_wasConnected = false; // before the loss being handled
    redisAsyncContext* m_context = nullptr;
    RedisEventAdapter* m_adapter = nullptr; // drives m_context; deleted only outside hiredis calls
    quint64 m_epoch = 0;                    // one per context, so late handshake replies cannot confuse a newer one
    quint64 m_nextId = 1;
    std::map<quint64, Pending> m_pending; // ordered by id = send order = deadline order
    QList<Completion> m_completions;
    QList<Event> m_events;
    bool m_deliveryScheduled = false;
    bool m_lostScheduled = false;
    QSet<QByteArray> m_channels;
    int m_backoffMs = 0;
    QTimer m_reconnectTimer;
    QTimer m_connectTimer;
    QTimer m_commandTimer;
};
