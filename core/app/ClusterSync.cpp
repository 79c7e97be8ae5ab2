#include "app/ClusterSync.h"

#include "cache/ChangeBus.h"
#include "common/Logging.h"
#include "storage/ChangeCounter.h"

ClusterSync::ClusterSync(Database& database, ChangeBus* bus, QObject* parent)
    : QObject(parent), m_database(database), m_bus(bus)
{
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &ClusterSync::check);
    if (m_bus) {
        m_bus->subscribe(kChannel);
        connect(m_bus, &ChangeBus::messageReceived, this, [this](const QByteArray& channel, const QByteArray&) {
            if (channel == kChannel)
                check();
        });
        // Announcements missed while the subscription was down: look now.
        connect(m_bus, &ChangeBus::subscribed, this, &ClusterSync::check);
    }
}

void ClusterSync::watch(const char* name, std::function<void()> reload)
{
    m_counters.append({name, std::move(reload), read(name)});
}

void ClusterSync::start()
{
    m_poll.start();
}

void ClusterSync::changedHere(const char* name)
{
    announce(name);
    for (Counter& counter : m_counters) {
        if (qstrcmp(counter.name, name) == 0)
            counter.reload(); // whatever the count says: the change is known to have happened
    }
}

void ClusterSync::announce(const char* name)
{
    for (Counter& counter : m_counters) {
        if (qstrcmp(counter.name, name) == 0) {
            if (const qint64 count = read(name); count >= 0)
                counter.seen = count;
        }
    }
    if (m_bus)
        m_bus->publish(kChannel, name);
}

void ClusterSync::check()
{
    for (Counter& counter : m_counters) {
        const qint64 count = read(counter.name);
        if (count >= 0 && count != counter.seen) {
            counter.seen = count;
            counter.reload();
        }
    }
}

qint64 ClusterSync::read(const char* name)
{
    auto count = ChangeCounter(m_database, name).value();
    if (!count) {
        qCWarning(lcApp).noquote() << "cannot read the change counter" << name << count.error().message;
        return -1;
    }
    return *count;
}
