#include "app/ClusterSync.h"

#include "cache/ChangeBus.h"
#include "common/Logging.h"
#include "storage/ChangeCounter.h"

ClusterSync::ClusterSync(Database& database, ChangeBus* bus, std::function<void()> reload, QObject* parent)
    : QObject(parent), m_database(database), m_bus(bus), m_reload(std::move(reload))
{
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, [this] { check(); });
    if (m_bus) {
        m_bus->subscribe(kChannel);
        connect(m_bus, &ChangeBus::messageReceived, this, [this](const QByteArray& channel, const QByteArray&) {
            if (channel == kChannel)
                check();
        });
        // Announcements missed while the subscription was down: look now.
        connect(m_bus, &ChangeBus::subscribed, this, [this] { check(); });
    }
}

void ClusterSync::start(qint64 builtFrom)
{
    m_seen = builtFrom;
    m_poll.start();
}

void ClusterSync::changedHere()
{
    // Rebuilt whatever the count says: the change is known to have happened.
    auto count = ChangeCounter(m_database).value();
    if (count)
        m_seen = *count;
    m_reload();
    if (m_bus && count)
        m_bus->publish(kChannel, QByteArray::number(*count));
}

void ClusterSync::check()
{
    auto count = ChangeCounter(m_database).value();
    if (!count) {
        qCWarning(lcApp).noquote() << "cannot read the change counter:" << count.error().message;
        return;
    }
    if (*count != m_seen) {
        m_seen = *count;
        m_reload();
    }
}
