#pragma once

#include <QObject>
#include <QTimer>

#include <functional>

class ChangeBus;
class Database;

// Keeps this instance in step with admin changes made through any instance sharing its database. The change
// counter in the database is the truth: a change adds one in its own transaction. This instance reads the counter
// every half second, and at once when another instance announces a change on the Redis change bus; when the count
// moved it calls `reload` (the routing snapshot is rebuilt). So instances on one PostgreSQL converge within about
// half a second, with Redis within a round trip; a lost Redis message costs at most the next poll.
class ClusterSync : public QObject
{
    Q_OBJECT

public:
    static constexpr int kPollMs = 500;
    static constexpr const char* kChannel = "gatehouse:changes";

    // `bus` may be nullptr (no Redis). Runs on the thread of `database`'s admin connection.
    ClusterSync(Database& database, ChangeBus* bus, std::function<void()> reload, QObject* parent = nullptr);

    // Remembers the count the current snapshot was built from and starts watching.
    void start(qint64 builtFrom);
    // A change was made here: rebuild now and tell the other instances.
    void changedHere();

private:
    // Rebuilds when the count moved.
    void check();

    Database& m_database;
    ChangeBus* m_bus;
    std::function<void()> m_reload;
    QTimer m_poll;
    qint64 m_seen = -1;
};
