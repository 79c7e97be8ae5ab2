#pragma once

#include <QByteArray>
#include <QObject>
#include <QSet>

class RedisConnection;

// Change notifications between gateway instances ("gateway key 42 changed: reload it") over Redis publish/subscribe,
// or inside this process only when there is no Redis. With Redis, a message reaches every instance, this one
// included, through Redis; if it cannot be published (Redis away) it is still delivered here. Messages sent while
// this instance's subscription was down are lost: subscribed() says the subscription is (back) in place, so a
// listener should then reload whatever it keeps from the changed data.
class ChangeBus : public QObject
{
    Q_OBJECT

public:
    // publisher: the instance's command connection, or nullptr without Redis. The bus opens its own subscriber
    // connection to the same server, because a subscribed connection can do nothing else.
    explicit ChangeBus(RedisConnection* publisher, QObject* parent = nullptr);

    void subscribe(const QByteArray& channel);
    void publish(const QByteArray& channel, const QByteArray& message);

signals:
    void subscribed(const QByteArray& channel);
    void messageReceived(const QByteArray& channel, const QByteArray& message);

private:
    void deliverLocally(const QByteArray& channel, const QByteArray& message);

    RedisConnection* m_publisher;
    RedisConnection* m_subscriber = nullptr;
    QSet<QByteArray> m_channels;
};
