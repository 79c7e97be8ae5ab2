#include "cache/RedisConnection.h"

#include "cache/RedisEventAdapter.h"
#include "common/Logging.h"

#include <QPointer>

#include <hiredis/async.h>

#include <algorithm>
#include <vector>

namespace {

Error unavailable(const QString& why)
{
    return Error::make(QStringLiteral("redis_unavailable"), why);
}

RedisReply toReply(const redisReply* reply)
{
    RedisReply result;
    switch (reply->type) {
    case REDIS_REPLY_INTEGER:
        result.type = RedisReply::Type::Integer;
        result.integer = reply->integer;
        break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
        result.type = RedisReply::Type::String;
        result.string = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_ERROR:
        result.type = RedisReply::Type::Error;
        result.string = QByteArray(reply->str, qsizetype(reply->len));
        break;
    case REDIS_REPLY_ARRAY:
        result.type = RedisReply::Type::Array;
        result.elements.reserve(qsizetype(reply->elements));
        for (size_t i = 0; i < reply->elements; ++i)
            result.elements.append(toReply(reply->element[i]));
        break;
    default:
        break;
    }
    return result;
}

void* idToPrivdata(quint64 id)
{
    return reinterpret_cast<void*>(static_cast<quintptr>(id));
}

} // namespace

RedisConnection::RedisConnection(RedisUrl url, QObject* parent) : RedisConnection(std::move(url), Options{}, parent) {}

RedisConnection::RedisConnection(RedisUrl url, Options options, QObject* parent)
    : QObject(parent), m_url(std::move(url)), m_options(options)
{
    m_reconnectTimer.setSingleShot(true);
    m_connectTimer.setSingleShot(true);
    m_commandTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &RedisConnection::connectNow);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] { drop(QStringLiteral("connect timed out")); });
    connect(&m_commandTimer, &QTimer::timeout, this, &RedisConnection::expireCommands);
}

RedisConnection::~RedisConnection()
{
    if (m_context) {
        m_context->data = nullptr; // hiredis still calls back while it frees: those calls must not reach us
        redisAsyncFree(m_context);
    }
}

void RedisConnection::open()
{
    if (m_state == State::Disconnected && !m_reconnectTimer.isActive() && !m_lostScheduled)
        connectNow();
}

void RedisConnection::connectNow()
{
    delete m_adapter; // its context is gone and we are outside any hiredis call
    m_adapter = nullptr;
    m_state = State::Connecting;
    ++m_epoch;
    // hiredis resolves host names with a blocking getaddrinfo: configure an address to keep this instant.
    redisAsyncContext* context = redisAsyncConnect(m_url.host.toUtf8().constData(), m_url.port);
    if (!context || context->err) {
        logConnectFailure(context ? context->errstr : "out of memory");
        if (context)
            redisAsyncFree(context);
        scheduleConnectionLost();
        return;
    }
    context->data = this;
    m_context = context;
    m_adapter = new RedisEventAdapter(context, this);
    redisAsyncSetConnectCallback(context, &RedisConnection::onConnect);
    redisAsyncSetDisconnectCallback(context, &RedisConnection::onDisconnect);
    m_connectTimer.start(m_options.connectTimeoutMs);
}

void RedisConnection::onConnect(const redisAsyncContext* context, int status)
{
    auto* self = static_cast<RedisConnection*>(context->data);
    if (!self)
        return;
    if (status != REDIS_OK) {
        self->logConnectFailure(context->c.errstr);
        self->contextGone(); // hiredis frees the context after this returns
        return;
    }
    redisEnableKeepAlive(
        const_cast<redisContext*>(&context->c)); // notices a peer that vanished without closing, e.g. a dead host
    self->sendHandshake();
}

// Warns once per outage; the retries every few seconds after that only go to debug.
void RedisConnection::logConnectFailure(const char* error) const
{
    LogLine(lcCache(), m_backoffMs == 0 ? outageLevel(QtWarningMsg) : QtDebugMsg, u"redis connect failed")
        .field("url", m_url.toDisplayString())
        .field("error", error);
}

void RedisConnection::onDisconnect(const redisAsyncContext* context, int status)
{
    auto* self = static_cast<RedisConnection*>(context->data);
    if (!self)
        return;
    if (status != REDIS_OK)
        LogLine(lcCache(), self->outageLevel(QtWarningMsg), u"redis connection lost")
            .field("url", self->m_url.toDisplayString())
            .field("error", context->c.errstr);
    self->contextGone();
}

void RedisConnection::onReply(redisAsyncContext* context, void* reply, void* privdata)
{
    auto* self = static_cast<RedisConnection*>(context->data);
    if (!self)
        return;
    const auto id = static_cast<quint64>(reinterpret_cast<quintptr>(privdata));
    if (reply)
        self->complete(id, toReply(static_cast<redisReply*>(reply)));
    else
        self->complete(id, unavailable(QStringLiteral("connection to Redis lost")));
}

void RedisConnection::onSubscriptionReply(redisAsyncContext* context, void* reply, void*)
{
    auto* self = static_cast<RedisConnection*>(context->data);
    if (!self || !reply)
        return;
    const RedisReply value = toReply(static_cast<redisReply*>(reply));
    if (value.type != RedisReply::Type::Array || value.elements.size() < 3)
        return;
    const QByteArray& kind = value.elements[0].string;
    if (kind == "message")
        self->m_events.append({false, value.elements[1].string, value.elements[2].string});
    else if (kind == "subscribe")
        self->m_events.append({true, value.elements[1].string, {}});
    self->scheduleDelivery();
}

void RedisConnection::sendHandshake()
{
    const quint64 epoch = m_epoch;
    const auto checked = [this, epoch](const char* step) {
        return [this, epoch, step](const Result<RedisReply>& reply) {
            if (epoch != m_epoch || !m_context || (reply.ok() && !reply->isError()))
                return;
            LogLine(lcCache(), outageLevel(QtWarningMsg), u"redis handshake failed")
                .field("step", step)
                .field("url", m_url.toDisplayString())
                .field("error", reply.ok() ? QString::fromUtf8(reply->string) : reply.error().message);
            drop(QStringLiteral("handshake failed"));
        };
    };
    if (!m_url.password.isEmpty())
        send({"AUTH", m_url.password.toUtf8()}, checked("AUTH"), QDeadlineTimer::Forever);
    if (m_url.db != 0)
        send({"SELECT", QByteArray::number(m_url.db)}, checked("SELECT"), QDeadlineTimer::Forever);
    send(
        {"PING"},
        [this, epoch, failed = checked("PING")](const Result<RedisReply>& reply) {
            if (epoch != m_epoch || !m_context || !reply.ok() || reply->isError())
                return failed(reply);
            m_connectTimer.stop();
            m_state = State::Connected;
            m_backoffMs = 0;
            LogLine(lcCache(), outageLevel(QtInfoMsg), u"redis connected").field("url", m_url.toDisplayString());
            for (const QByteArray& channel : std::as_const(m_channels))
                sendSubscribe(channel);
            emit connected();
        },
        QDeadlineTimer::Forever);
}

void RedisConnection::command(const QByteArrayList& arguments, Callback done)
{
    if (m_state != State::Connected) {
        const quint64 id = m_nextId++;
        m_pending.emplace(id, Pending{std::move(done), {}});
        complete(id, unavailable(QStringLiteral("not connected to Redis")));
        return;
    }
    send(arguments, std::move(done), QDeadlineTimer(m_options.commandTimeoutMs));
}

void RedisConnection::send(const QByteArrayList& arguments, Callback done, QDeadlineTimer deadline)
{
    const quint64 id = m_nextId++;
    m_pending.emplace(id, Pending{std::move(done), deadline});
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    argv.reserve(size_t(arguments.size()));
    lengths.reserve(size_t(arguments.size()));
    for (const QByteArray& argument : arguments) {
        argv.push_back(argument.constData());
        lengths.push_back(size_t(argument.size()));
    }
    if (!m_context || redisAsyncCommandArgv(m_context, &RedisConnection::onReply, idToPrivdata(id), int(argv.size()),
                                            argv.data(), lengths.data()) != REDIS_OK) {
        complete(id, unavailable(QStringLiteral("connection to Redis is closing")));
        return;
    }
    if (!m_commandTimer.isActive() && !deadline.isForever())
        m_commandTimer.start(std::max<qint64>(0, m_pending.begin()->second.deadline.remainingTime()));
}

void RedisConnection::subscribe(const QByteArray& channel)
{
    if (m_channels.contains(channel))
        return;
    m_channels.insert(channel);
    if (m_state == State::Connected)
        sendSubscribe(channel);
}

void RedisConnection::sendSubscribe(const QByteArray& channel)
{
    const char* argv[] = {"SUBSCRIBE", channel.constData()};
    const size_t lengths[] = {9, size_t(channel.size())};
    redisAsyncCommandArgv(m_context, &RedisConnection::onSubscriptionReply, nullptr, 2, argv, lengths);
}

void RedisConnection::complete(quint64 id, Result<RedisReply> result)
{
    const auto it = m_pending.find(id);
    if (it == m_pending.end()) // already failed by a timeout or a lost connection
        return;
    m_completions.append({std::move(it->second.done), std::move(result)});
    m_pending.erase(it);
    scheduleDelivery();
}

void RedisConnection::scheduleDelivery()
{
    if (m_deliveryScheduled)
        return;
    m_deliveryScheduled = true;
    QMetaObject::invokeMethod(this, &RedisConnection::deliver, Qt::QueuedConnection);
}

// Runs callbacks and emits from the event loop, never inside hiredis: they may send, drop or even destroy us.
void RedisConnection::deliver()
{
    m_deliveryScheduled = false;
    const QPointer<RedisConnection> alive(this);
    const QList<Completion> completions = std::exchange(m_completions, {});
    for (const Completion& completion : completions) {
        completion.done(completion.result);
        if (!alive)
            return;
    }
    const QList<Event> events = std::exchange(m_events, {});
    for (const Event& event : events) {
        if (event.confirmation)
            emit subscribed(event.channel);
        else
            emit messageReceived(event.channel, event.message);
        if (!alive)
            return;
    }
}

void RedisConnection::expireCommands()
{
    if (m_pending.empty())
        return;
    const auto oldest = m_pending.begin();
    if (oldest->second.deadline.isForever())
        return;
    if (!oldest->second.deadline.hasExpired()) {
        m_commandTimer.start(std::max<qint64>(0, oldest->second.deadline.remainingTime()));
        return;
    }
    complete(oldest->first,
             Error::make(QStringLiteral("redis_timeout"), QStringLiteral("Redis did not answer in time")));
    drop(QStringLiteral("command timed out"));
}

void RedisConnection::drop(const QString& reason)
{
    if (!m_context)
        return;
    LogLine(lcCache(), outageLevel(QtWarningMsg), u"redis connection dropped")
        .field("url", m_url.toDisplayString())
        .field("reason", reason);
    redisAsyncContext* context = m_context;
    redisAsyncFree(context); // fails pending replies through onReply, calls onDisconnect if it was connected
    contextGone();
}

void RedisConnection::contextGone()
{
    m_context = nullptr;
    if (m_state == State::Connected)
        m_wasConnected = true;
    m_state = State::Disconnected;
    scheduleConnectionLost();
}

void RedisConnection::scheduleConnectionLost()
{
    if (m_lostScheduled)
        return;
    m_lostScheduled = true;
    QMetaObject::invokeMethod(this, &RedisConnection::handleConnectionLost, Qt::QueuedConnection);
}

void RedisConnection::handleConnectionLost()
{
    m_lostScheduled = false;
    m_connectTimer.stop();
    m_commandTimer.stop();
    std::vector<quint64> ids;
    for (const auto& [id, pending] : m_pending)
        ids.push_back(id);
    for (quint64 id : ids)
        complete(id, unavailable(QStringLiteral("connection to Redis lost")));
    const bool wasConnected = std::exchange(m_wasConnected, false);
    m_state = State::Disconnected;
    m_backoffMs = m_backoffMs == 0 ? m_options.minBackoffMs : std::min(m_backoffMs * 2, m_options.maxBackoffMs);
    m_reconnectTimer.start(m_backoffMs);
    if (wasConnected)
        emit disconnected();
}
