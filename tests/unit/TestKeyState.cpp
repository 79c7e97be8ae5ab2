#include "TestRegistry.h"
#include "health/KeyState.h"

#include <QTest>

using namespace std::chrono_literals;
using Kind = KeyOutcome::Kind;

namespace {

const KeyTime kStateStart = KeyTime{} + 1h;

// One request through the key: the selector's begin() and the proxy's report().
void request(KeyState& state, KeyTime now, Kind kind, qint64 latencyMs = 100, qint64 retryAfterMs = 0)
{
    state.begin();
    state.report(KeyOutcome{kind, latencyMs, retryAfterMs, QStringLiteral("outcome %1").arg(int(kind)), false}, now);
}

QString status(const KeyState& state, KeyTime now)
{
    return KeyHealthSnapshot::statusName(state.snapshot(now).status);
}

} // namespace

class TestKeyState : public QObject
{
    Q_OBJECT

private slots:
    // One classification of provider answers for the proxy and the prober: what each status says about the key.
    void statusesClassifyOnce_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("kind");
        using Kind = KeyOutcome::Kind;
        for (const auto& [status, kind] :
             {std::pair{200, Kind::Success}, std::pair{204, Kind::Success}, std::pair{304, Kind::Success},
              std::pair{400, Kind::ClientError}, std::pair{401, Kind::AuthRejected}, std::pair{403, Kind::AuthRejected},
              std::pair{404, Kind::ClientError}, std::pair{429, Kind::RateLimited}, std::pair{500, Kind::ServerError},
              std::pair{529, Kind::ServerError}})
            QTest::addRow("%d", status) << status << int(kind);
    }

    void statusesClassifyOnce()
    {
        QFETCH(int, status);
        QFETCH(int, kind);
        const KeyOutcome outcome = KeyOutcome::fromStatus(status, 120, 7000, QStringLiteral("provider answered"));
        QCOMPARE(int(outcome.kind), kind);
        QCOMPARE(outcome.retryAfterMs, status == 429 ? 7000 : 0);
        QCOMPARE(outcome.latencyMs, outcome.kind == KeyOutcome::Kind::Success ? 120 : 0);
    }

    void ejectsAfterConsecutiveFailures_data()
    {
        QTest::addColumn<Kind>("kind");
        QTest::newRow("connect_error") << Kind::ConnectError;
        QTest::newRow("timeout") << Kind::Timeout;
        QTest::newRow("server_error") << Kind::ServerError;
    }

    void ejectsAfterConsecutiveFailures()
    {
        QFETCH(Kind, kind);
        KeyState state(1);
        request(state, kStateStart, kind);
        request(state, kStateStart, kind);
        QVERIFY(state.isAvailable(kStateStart));
        QCOMPARE(status(state, kStateStart), QStringLiteral("healthy"));
        request(state, kStateStart, kind);
        QVERIFY(!state.isAvailable(kStateStart));
        QCOMPARE(status(state, kStateStart), QStringLiteral("ejected"));
        QCOMPARE(state.availableAt(kStateStart), kStateStart + 10s);
        QCOMPARE(state.snapshot(kStateStart).ejectedForMs, 10'000);
        QVERIFY(!state.isAvailable(kStateStart + 9999ms));
        QVERIFY(state.isAvailable(kStateStart + 10s));
        QCOMPARE(status(state, kStateStart + 10s), QStringLiteral("healthy"));
    }

    void successBreaksTheFailureStreak()
    {
        KeyState state(1);
        for (int i = 0; i < 10; ++i) {
            request(state, kStateStart, Kind::ServerError);
            request(state, kStateStart, Kind::Timeout);
            request(state, kStateStart, Kind::Success);
        }
        QVERIFY(state.isAvailable(kStateStart));
        QCOMPARE(state.snapshot(kStateStart).failures, 20u);
        QCOMPARE(state.snapshot(kStateStart).successes, 10u);
    }

    void thresholdIsConfigurable()
    {
        HealthPolicy policy;
        policy.ejectAfterFailures = 1;
        KeyState state(1, policy);
        request(state, kStateStart, Kind::ConnectError);
        QVERIFY(!state.isAvailable(kStateStart));
    }

    void backoffDoublesUpToTheCapAndResetsOnSuccess()
    {
        KeyState state(1);
        KeyTime now = kStateStart;
        for (int i = 0; i < 3; ++i)
            request(state, now, Kind::ConnectError);
        QCOMPARE(*state.availableAt(now) - now, 10s);

        // Each time the ejection ends, one more failure ejects again for twice as long, up to five minutes.
        const std::chrono::seconds expected[] = {20s, 40s, 80s, 160s, 300s, 300s};
        for (std::chrono::seconds backoff : expected) {
            now = *state.availableAt(now);
            QVERIFY(state.isAvailable(now));
            request(state, now, Kind::Timeout);
            QCOMPARE(*state.availableAt(now) - now, backoff);
        }
        QCOMPARE(state.snapshot(now).ejections, 7);

        now = *state.availableAt(now);
        request(state, now, Kind::Success);
        QCOMPARE(state.snapshot(now).ejections, 0);
        QCOMPARE(state.snapshot(now).consecutiveFailures, 0);
        request(state, now, Kind::ServerError);
        request(state, now, Kind::ServerError);
        QVERIFY(state.isAvailable(now));
        request(state, now, Kind::ServerError);
        QCOMPARE(*state.availableAt(now) - now, 10s);
    }

    void rateLimitCoolsDownForRetryAfter()
    {
        KeyState state(1);
        request(state, kStateStart, Kind::RateLimited, 0, 7'500);
        QVERIFY(!state.isAvailable(kStateStart));
        QCOMPARE(status(state, kStateStart), QStringLiteral("cooling_down"));
        QCOMPARE(state.availableAt(kStateStart), kStateStart + 7500ms);
        QVERIFY(!state.isAvailable(kStateStart + 7499ms));
        QVERIFY(state.isAvailable(kStateStart + 7500ms));
        // A 429 is not a failure of the key's health.
        QCOMPARE(state.snapshot(kStateStart).consecutiveFailures, 0);
        QCOMPARE(state.errorRate(), 0.0);
    }

    void rateLimitWithoutRetryAfterUsesTheDefault()
    {
        KeyState state(1);
        request(state, kStateStart, Kind::RateLimited);
        QCOMPARE(state.availableAt(kStateStart), kStateStart + 5s);
    }

    void laterShorterRateLimitDoesNotShortenTheCooldown()
    {
        KeyState state(1);
        request(state, kStateStart, Kind::RateLimited, 0, 60'000);
        request(state, kStateStart + 1s, Kind::RateLimited, 0, 1'000);
        QCOMPARE(state.availableAt(kStateStart + 1s), kStateStart + 60s);
    }

    // The client's request may be what the provider refused (a model its project may not use): the key stays in
    // service and asks for its own probe, which alone decides.
    void aRefusedRequestOnlyAsksForAProbe()
    {
        KeyState state(1);
        request(state, kStateStart, Kind::AuthRejected);
        QVERIFY(state.isAvailable(kStateStart));
        QVERIFY(state.awaitsProbe());
        QCOMPARE(status(state, kStateStart), QStringLiteral("healthy"));
        QVERIFY(state.snapshot(kStateStart).lastError.endsWith(QLatin1String("(a probe will confirm)")));
        QCOMPARE(state.inFlight(), 0);

        state.report(KeyOutcome::success(80).asProbe(), kStateStart + 1s);
        QVERIFY(!state.awaitsProbe());
        QVERIFY(state.isAvailable(kStateStart + 1s));

        request(state, kStateStart + 2s, Kind::AuthRejected);
        state.report(KeyOutcome::error(Kind::ServerError, QStringLiteral("probe: 500")).asProbe(), kStateStart + 2s);
        QVERIFY(!state.awaitsProbe()); // the probe had its say; the next refusal asks again
        request(state, kStateStart + 3s, Kind::AuthRejected);
        request(state, kStateStart + 3s, Kind::Success);
        QVERIFY(!state.awaitsProbe()); // the key served a request since
        QVERIFY(state.isAvailable(kStateStart + 3s));
    }

    // Without a probe to ask (probes off, or no probe path), refusals in a row are all there is to go by.
    void withoutAProbeRefusalsInARowMakeTheKeyInvalid()
    {
        const HealthPolicy policy;
        KeyState state(1, policy);
        state.setProbed(false);
        for (int i = 1; i < policy.refusalsToInvalidate; ++i)
            request(state, kStateStart, Kind::AuthRejected);
        request(state, kStateStart, Kind::Success); // a success between them: the count starts over
        for (int i = 1; i < policy.refusalsToInvalidate; ++i)
            request(state, kStateStart, Kind::AuthRejected);
        QVERIFY(state.isAvailable(kStateStart));
        QVERIFY(!state.awaitsProbe());
        request(state, kStateStart, Kind::AuthRejected);
        QVERIFY(!state.isAvailable(kStateStart));
        QCOMPARE(status(state, kStateStart), QStringLiteral("invalid"));
    }

    void aRefusedProbeMakesTheKeyInvalidUntilReset()
    {
        KeyState state(1);
        request(state, kStateStart, Kind::AuthRejected);
        state.report(KeyOutcome::error(Kind::AuthRejected, QStringLiteral("401 invalid_api_key")).asProbe(),
                     kStateStart);
        QVERIFY(!state.awaitsProbe());
        QVERIFY(!state.isAvailable(kStateStart));
        QVERIFY(!state.availableAt(kStateStart).has_value());
        QVERIFY(!state.isAvailable(kStateStart + 24h));
        const KeyHealthSnapshot snapshot = state.snapshot(kStateStart);
        QCOMPARE(KeyHealthSnapshot::statusName(snapshot.status), QStringLiteral("invalid"));
        QCOMPARE(snapshot.invalidReason, QStringLiteral("401 invalid_api_key"));
        QCOMPARE(snapshot.lastError, QStringLiteral("401 invalid_api_key"));

        // A request that was in flight before the 401 and succeeds does not make the key valid again.
        request(state, kStateStart + 1s, Kind::Success);
        QVERIFY(!state.isAvailable(kStateStart + 1s));

        state.reset();
        QVERIFY(state.isAvailable(kStateStart + 1s));
        QCOMPARE(state.snapshot(kStateStart + 1s).invalidReason, QString());
    }

    void successfulProbeRestoresInvalidAndEjectedKeys()
    {
        KeyState state(1);
        state.report(KeyOutcome::error(Kind::AuthRejected, QStringLiteral("403")).asProbe(), kStateStart);
        QVERIFY(!state.isAvailable(kStateStart));
        state.report(KeyOutcome::success(80).asProbe(), kStateStart);
        QVERIFY(state.isAvailable(kStateStart));

        for (int i = 0; i < 3; ++i)
            request(state, kStateStart, Kind::ServerError);
        QVERIFY(!state.isAvailable(kStateStart + 1s));
        state.report(KeyOutcome::success(80).asProbe(), kStateStart + 1s);
        QVERIFY(state.isAvailable(kStateStart + 1s));
        // Probes are not requests: nothing was in flight for them.
        QCOMPARE(state.inFlight(), 0);
    }

    void clientFaultsDoNotCountAgainstTheKey_data()
    {
        QTest::addColumn<Kind>("kind");
        QTest::newRow("client_error") << Kind::ClientError;
        QTest::newRow("client_aborted") << Kind::ClientAborted;
    }

    void clientFaultsDoNotCountAgainstTheKey()
    {
        QFETCH(Kind, kind);
        KeyState state(1);
        for (int i = 0; i < 50; ++i)
            request(state, kStateStart, kind);
        QVERIFY(state.isAvailable(kStateStart));
        const KeyHealthSnapshot snapshot = state.snapshot(kStateStart);
        QCOMPARE(snapshot.consecutiveFailures, 0);
        QCOMPARE(snapshot.failures, 0u);
        QCOMPARE(snapshot.errorRate, 0.0);
        QCOMPARE(snapshot.inFlight, 0);
        // Between two failures they do not break the streak either.
        request(state, kStateStart, Kind::Timeout);
        request(state, kStateStart, kind);
        request(state, kStateStart, Kind::Timeout);
        request(state, kStateStart, kind);
        request(state, kStateStart, Kind::Timeout);
        QVERIFY(!state.isAvailable(kStateStart));
    }

    void countsRequestsInFlight()
    {
        KeyState state(1);
        state.begin();
        state.begin();
        QCOMPARE(state.inFlight(), 2);
        state.report(KeyOutcome::error(Kind::ClientAborted), kStateStart);
        QCOMPARE(state.inFlight(), 1);
        state.report(KeyOutcome::success(10), kStateStart);
        QCOMPARE(state.inFlight(), 0);
    }

    void latencyAverageFollowsSamplesAndGoesStale()
    {
        KeyState state(1);
        QVERIFY(!state.latencyEwmaMs(kStateStart).has_value());
        request(state, kStateStart, Kind::Success, 100);
        QCOMPARE(*state.latencyEwmaMs(kStateStart), 100.0);
        request(state, kStateStart, Kind::Success, 200);
        QCOMPARE(*state.latencyEwmaMs(kStateStart), 130.0);
        // Failures carry no latency sample.
        request(state, kStateStart, Kind::Timeout, 60'000);
        QCOMPARE(*state.latencyEwmaMs(kStateStart), 130.0);
        QVERIFY(state.latencyEwmaMs(kStateStart + 30s).has_value());
        QVERIFY(!state.latencyEwmaMs(kStateStart + 31s).has_value());
        // After the gap a new sample starts the average over.
        request(state, kStateStart + 31s, Kind::Success, 40);
        QCOMPARE(*state.latencyEwmaMs(kStateStart + 31s), 40.0);
    }

    void errorRateRisesWithFailuresAndDecaysWithSuccesses()
    {
        KeyState state(1);
        request(state, kStateStart, Kind::ServerError);
        request(state, kStateStart, Kind::Success);
        request(state, kStateStart, Kind::ServerError);
        const double afterFailures = state.errorRate();
        QVERIFY(afterFailures > 0.1);
        for (int i = 0; i < 30; ++i)
            request(state, kStateStart, Kind::Success);
        QVERIFY(state.errorRate() < afterFailures / 10);
    }

    void persistsCooldownEjectionAndInvalidAcrossARestart()
    {
        const QDateTime wallNow = QDateTime::fromString(QStringLiteral("2026-11-26T12:00:00Z"), Qt::ISODate);
        KeyState cooling(1);
        request(cooling, kStateStart, Kind::RateLimited, 0, 90'000);
        const PersistedKeyHealth saved = cooling.persisted(kStateStart + 30s, wallNow);
        QCOMPARE(saved.cooldownUntil, wallNow.addSecs(60));
        QVERIFY(!saved.invalid);

        // A new process: its monotonic clock starts elsewhere, and 10 s passed while it was down.
        const KeyTime otherStart = KeyTime{} + 5min;
        KeyState restored(1);
        restored.restore(saved, otherStart, wallNow.addSecs(10));
        QCOMPARE(restored.availableAt(otherStart), otherStart + 50s);

        KeyState invalid(2);
        invalid.report(KeyOutcome::error(Kind::AuthRejected, QStringLiteral("401")).asProbe(), kStateStart);
        const PersistedKeyHealth savedInvalid = invalid.persisted(kStateStart, wallNow);
        QVERIFY(savedInvalid.invalid);
        QVERIFY(!savedInvalid.cooldownUntil.isValid());
        KeyState restoredInvalid(2);
        restoredInvalid.restore(savedInvalid, otherStart, wallNow);
        QVERIFY(!restoredInvalid.isAvailable(otherStart));
        QCOMPARE(restoredInvalid.snapshot(otherStart).invalidReason, invalid.snapshot(kStateStart).invalidReason);

        // An ejection travels the same way (another instance adopts it from the row).
        KeyState failing(3);
        for (int i = 0; i < 3; ++i)
            request(failing, kStateStart, Kind::ServerError);
        const PersistedKeyHealth savedEjection = failing.persisted(kStateStart + 4s, wallNow);
        QCOMPARE(savedEjection.ejectedUntil, wallNow.addSecs(6));
        KeyState adopted(3);
        adopted.restore(savedEjection, otherStart, wallNow.addSecs(1));
        QCOMPARE(status(adopted, otherStart), QStringLiteral("ejected"));
        QCOMPARE(adopted.availableAt(otherStart), otherStart + 5s);

        // An expired cooldown restores nothing.
        KeyState late(1);
        late.restore(saved, otherStart, wallNow.addSecs(61));
        QVERIFY(late.isAvailable(otherStart));
    }
};

GATEHOUSE_TEST_MAIN(TestKeyState)
#include "TestKeyState.moc"
