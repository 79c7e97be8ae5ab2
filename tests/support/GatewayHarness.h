#pragma once

#include "ScratchDatabase.h"
#include "TempDataDir.h"

#include "app/GatewayService.h"

#include <QUrl>

#include <functional>
#include <memory>

// The whole gateway in-process, on ephemeral loopback ports, with a fresh data directory and a fixed master key; its
// database a SQLite file there, or with GATEHOUSE_TEST_ENGINE=postgresql a fresh PostgreSQL schema (CTest runs the
// integration suites both ways: integration.<Name> and postgresql.<Name>).
// Usage:
//     GatewayHarness gateway;                 // or GatewayHarness gateway([](Config& c) { c.workers = 1; });
//     QVERIFY(gateway.start());
//     client.get(gateway.adminUrl("/api/system/info"));
class GatewayHarness
{
public:
    static constexpr const char* kAdminPassword = "admin-password-for-tests";

    explicit GatewayHarness(const std::function<void(Config&)>& customize = {});
    ~GatewayHarness();

    bool start(); // prints the error and returns false when the service did not start
    void stop();

    GatewayService& service() { return *m_service; }
    const Config& config() const { return *m_config; }
    QString dataDir() const { return m_dir.path(); }
    QUrl proxyUrl(const QString& path = QStringLiteral("/")) const;
    QUrl adminUrl(const QString& path = QStringLiteral("/")) const;

    // Everything the database holds, as bytes to search for what must not be there: the SQLite files (with the
    // write-ahead log), or on PostgreSQL every row of every table as text.
    QByteArray storedBytes();

    // Logs in over the admin API and returns the header that authenticates later calls; fails the test otherwise.
    QPair<QByteArray, QByteArray> login(const QString& username = QStringLiteral("admin"),
                                        const QString& password = QLatin1String(kAdminPassword));

private:
    TempDataDir m_dir;
    std::unique_ptr<ScratchDatabase> m_database; // outlives the service
    ConfigPtr m_config;
    std::unique_ptr<GatewayService> m_service;
};
