#include "ScratchDatabase.h"
#include "TestRegistry.h"
#include "storage/ChangeCounter.h"
#include "storage/Database.h"
#include "storage/Migrator.h"
#include "storage/SettingsStore.h"

#include <QTest>

class TestSettingsStore : public QObject
{
    Q_OBJECT

private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    // The change counter moves with committed changes only: what another instance reads is what was committed.
    void theChangeCounterCountsCommittedChanges_data() { ScratchDatabase::addEngineRows(); }
    void theChangeCounterCountsCommittedChanges()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database db(scratch.config());
        QVERIFY(Migrator(db).migrate().ok());
        ChangeCounter counter(db);
        QCOMPARE(*counter.value(), 0);
        QVERIFY(db.transaction([&] { return counter.add(); }).ok());
        QVERIFY(db.transaction([&] { return counter.add(); }).ok());
        QCOMPARE(*counter.value(), 2);
        const auto rolledBack = db.transaction([&]() -> Result<void> {
            if (auto added = counter.add(); !added)
                return added;
            return Error::make(QStringLiteral("refused"), QStringLiteral("the change failed after all"));
        });
        QVERIFY(!rolledBack.ok());
        QCOMPARE(*counter.value(), 2);
    }

    void valuesAreSetReplacedAndKept_data() { ScratchDatabase::addEngineRows(); }
    void valuesAreSetReplacedAndKept()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        {
            Database db(scratch.config());
            QVERIFY(Migrator(db).migrate().ok());
            SettingsStore settings(db);
            auto missing = settings.value(QStringLiteral("jwt_secret"));
            QVERIFY(missing.ok());
            QVERIFY(!missing->has_value());

            QVERIFY(settings.setValue(QStringLiteral("jwt_secret"), QStringLiteral("first")).ok());
            QVERIFY(settings.setValue(QStringLiteral("jwt_secret"), QStringLiteral("second")).ok());
            QCOMPARE(settings.value(QStringLiteral("jwt_secret"))->value(), QStringLiteral("second"));

            auto taken = settings.setValueIfAbsent(QStringLiteral("jwt_secret"), QStringLiteral("third"));
            QVERIFY(taken.ok());
            QVERIFY(!*taken);
            auto fresh = settings.setValueIfAbsent(QStringLiteral("master_key_check"), QStringLiteral("check"));
            QVERIFY(fresh.ok());
            QVERIFY(*fresh);
        }
        Database reopened(scratch.config()); // survives a restart
        SettingsStore settings(reopened);
        QCOMPARE(settings.value(QStringLiteral("jwt_secret"))->value(), QStringLiteral("second"));
        QCOMPARE(settings.value(QStringLiteral("master_key_check"))->value(), QStringLiteral("check"));
    }

    void errorsAreReported()
    {
        ScratchDatabase scratch(QStringLiteral("sqlite"));
        Database db(scratch.config()); // not migrated: no settings table
        SettingsStore settings(db);
        auto result = settings.value(QStringLiteral("anything"));
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.contains(QLatin1String("settings")), qPrintable(result.error().message));
        QVERIFY(!settings.setValue(QStringLiteral("a"), QStringLiteral("b")).ok());
    }
};

GATEHOUSE_TEST_MAIN(TestSettingsStore)
#include "TestSettingsStore.moc"
