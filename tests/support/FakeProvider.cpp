#include "FakeProvider.h"

#include <QRandomGenerator>

FakeProvider::FakeProvider(QStringList models, QObject* parent) : QObject(parent), m_models(std::move(models))
{
    m_server.setHandler([this](const FakeHttpRequest& request) { return handle(request); });
}

void FakeProvider::queueBehavior(FakeBehavior behavior, int times)
{
    for (int i = 0; i < times; ++i)
        m_queue.enqueue(behavior);
}

void FakeProvider::clearBehaviors()
{
    m_queue.clear();
    m_behavior.reset();
}

QStringList FakeProvider::textDeltas() const
{
    QStringList deltas;
    const QStringList words = m_replyText.split(QLatin1Char(' '));
    for (qsizetype i = 0; i < words.size(); ++i)
        deltas.append(i == 0 ? words.at(i) : QLatin1Char(' ') + words.at(i));
    return deltas;
}

QByteArray FakeProvider::randomHex(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    for (char& c : raw)
        c = char(QRandomGenerator::global()->bounded(256));
    return raw.toHex();
}

QString FakeProvider::sentKey(const FakeHttpRequest& request)
{
    const QByteArray authorization = request.header("authorization");
    if (authorization.startsWith("Bearer "))
        return QString::fromUtf8(authorization.mid(7));
    for (const char* header : {"x-api-key", "x-goog-api-key"}) {
        if (request.hasHeader(header))
            return QString::fromUtf8(request.header(header));
    }
    return request.query.queryItemValue(QStringLiteral("key"));
}

std::optional<FakeBehavior> FakeProvider::takeBehavior(const FakeHttpRequest& request)
{
    if (auto it = m_keyBehaviors.constFind(sentKey(request)); it != m_keyBehaviors.constEnd())
        return *it;
    if (!m_queue.isEmpty())
        return m_queue.dequeue();
    return m_behavior;
}

FakeHttpReply FakeProvider::handle(const FakeHttpRequest& request)
{
    if (auto rejected = rejectCredentials(request)) {
        rejected->firstByteDelayMs += m_latencyMs;
        return *rejected;
    }
    const std::optional<FakeBehavior> behavior = takeBehavior(request);
    using Kind = FakeBehavior::Kind;
    const bool fails = behavior && (behavior->kind == Kind::RateLimited || behavior->kind == Kind::ServerError ||
                                    behavior->kind == Kind::Overloaded || behavior->kind == Kind::InvalidKey);
    FakeHttpReply reply = fails ? failure(*behavior) : answer(request);
    reply.firstByteDelayMs += m_latencyMs;
    if (behavior) {
        switch (behavior->kind) {
        case Kind::SlowFirstByte:
            reply.firstByteDelayMs += behavior->amount;
            break;
        case Kind::SlowStream:
            reply.pieceIntervalMs = behavior->amount;
            break;
        case Kind::CutStream:
            reply.cutAfterPieces = behavior->amount;
            break;
        case Kind::Hang:
            reply.hang = true;
            break;
        default:
            break;
        }
    }
    return reply;
}
