#include "cache/ChangeBus.h"

#include "cache/RedisConnection.h"
#include "common/Logging.h"

#include <QPointer>

ChangeBus::ChangeBus(RedisConnection* publisher, QObject* parent) : QObject(parent), m_publisher(publisher)
{
    if (!m_publisher)
        return;
    m_subscriber = new RedisConnection(m_publisher->url(), {.reportsOutages = false}, this); // the publisher reports
    connect(m_subscriber, &RedisConnection::subscribed, this, &ChangeBus::subscribed);
    connect(m_subscriber, &RedisConnection::messageReceived, this, &ChangeBus::messageReceived);
    m_subscriber->open();
}

void ChangeBus::subscribe(const QByteArray& channel)
{
    m_channels.insert(channel);
    if (m_subscriber)
        m_subscriber->subscribe(channel);
    else
        QMetaObject::invokeMethod(
            this, [this, channel] { emit subscribed(channel); }, Qt::QueuedConnection);
}

void ChangeBus::publish(const QByteArray& channel, const QByteArray& message)
{
    if (!m_publisher)
        return deliverLocally(channel, message);
    m_publisher->command({"PUBLISH", channel, message},
                         [self = QPointer<ChangeBus>(this), channel, message](const Result<RedisReply>& reply) {
                             if (!self || (reply.ok() && !reply->isError()))
                                 return;
                             LogLine(lcCache(), QtWarningMsg, u"change not published to other instances")
                                 .field("channel", channel)
                                 .field("error", reply.ok() ? QString::fromUtf8(reply->string) : reply.error().message);
                             self->deliverLocally(channel, message);
                         });
}

void ChangeBus::deliverLocally(const QByteArray& channel, const QByteArray& message)
{
    if (!m_channels.contains(channel))
        return;
    QMetaObject::invokeMethod(
        this, [this, channel, message] { emit messageReceived(channel, message); }, Qt::QueuedConnection);
}
