#pragma once

#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>

class ChangeBus;
class Database;

// Keeps this instance in step with the instances sharing its database. Change counters in the database are the
// truth (storage/ChangeCounter: admin changes, saved key health): a change adds one in its own transaction. This
// instance reads the counters four times a second, and at once when another instance announces a change on the Redis
// change bus; when a count moved it calls that counter's `reload` (the routing snapshot is rebuilt, the keys'
// health adopted). So instances on one PostgreSQL converge within about a quarter of a second, with Redis within a
// round trip; a lost Redis message costs at most the next poll.
class ClusterSync : public QObject
{
    Q_OBJECT

public:
    static constexpr int kPollMs = 250;
    static constexpr const char* kChannel = "gatehouse:changes";

    // `bus` may be nullptr (no Redis). Runs on the thread of `database`'s admin connection.
    ClusterSync(Database& database, ChangeBus* bus, QObject* parent = nullptr);

    // Watches the counter `name` (a ChangeCounter name); `reload` runs when it moved. Reads the count now: what
    // the caller built before this call is taken as current.
    void watch(const char* name, std::function<void()> reload);
    void start();
    // A change of `name` was made here: rebuild now and tell the other instances.
    void changedHere(const char* name);
    // A change of `name` made here that this instance already holds (the keys' health it saved): only the other
    // instances are told.
    void announce(const char* name);

private:
    struct Counter
    {
        const char* name;
        std::function<void()> reload;
        qint64 seen = -1;
    };

    void check();
    qint64 read(const char* name);

    Database& m_database;
    ChangeBus* m_bus;
    QList<Counter> m_counters;
    QTimer m_poll;
};
