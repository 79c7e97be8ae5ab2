#include "GatewayFixture.h"

#include "auth/GatewayKeyCodec.h"
#include "crypto/SecretBox.h"
#include "storage/Database.h"
#include "storage/SealedColumns.h"
#include "storage/TraceWriter.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

namespace {
// A fixture statement that fails leaves every later assertion meaningless: stop there.
void mustSucceed(const Result<QSqlQuery>& result, const char* what)
{
    if (!result)
        qFatal("cannot %s: %s", what, qPrintable(result.error().message));
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QVariant orNull(qint64 value)
{
    return value > 0 ? QVariant(value) : QVariant(QMetaType::fromType<qint64>());
}
} // namespace

qint64 GatewayFixture::providerTypeId(const QString& name)
{
    auto row = m_service.database().exec(QStringLiteral("SELECT id FROM provider_types WHERE name = ?"), {name});
    if (!row || !row->next())
        qFatal("no provider type %s", qPrintable(name));
    return row->value(0).toLongLong();
}

qint64 GatewayFixture::pointProviderAt(const QString& providerType, const QUrl& baseUrl)
{
    const qint64 id = providerTypeId(providerType);
    mustSucceed(m_service.database().exec(QStringLiteral("UPDATE provider_types SET base_url = ? WHERE id = ?"),
                                          {baseUrl.toString(), id}),
                "point the provider type at the fake");
    emit m_service.routingChanged();
    return id;
}

qint64 GatewayFixture::addProviderKey(const QString& providerType, const QString& secret, int weight, qint64 rpmLimit)
{
    Database& db = m_service.database();
    auto inserted =
        db.exec(QStringLiteral("INSERT INTO provider_keys (provider_type_id, name, auth_kind, "
                               "secret_ciphertext, weight, rpm_limit, created_at, updated_at) "
                               "VALUES (?, ?, 'api_key', ?, ?, ?, ?, ?) RETURNING id"),
                {providerTypeId(providerType), QStringLiteral("key-%1").arg(nowMs() % 1000000000) + secret.right(4),
                 QByteArray("pending"), weight, orNull(rpmLimit), nowMs(), nowMs()});
    if (!inserted || !inserted->next())
        qFatal("cannot add a provider key: %s", inserted ? "no id" : qPrintable(inserted.error().message));
    const qint64 id = inserted->value(0).toLongLong();
    const QByteArray sealed =
        m_service.secrets().seal(secret.toUtf8(), SealedColumns::kProviderKeySecret.associatedData(id));
    mustSucceed(db.exec(QStringLiteral("UPDATE provider_keys SET secret_ciphertext = ? WHERE id = ?"), {sealed, id}),
                "store the provider key's secret");
    emit m_service.routingChanged();
    return id;
}

QByteArray GatewayFixture::addGatewayKey(const QString& providerType, const QList<qint64>& pool,
                                         const GatewayKeyOptions& options)
{
    Database& db = m_service.database();
    const QString key = GatewayKeyCodec::generate();
    auto inserted = db.exec(
        QStringLiteral("INSERT INTO gateway_keys (user_id, provider_type_id, name, key_hash, key_prefix, strategy, "
                       "retry_count, timeout_ms, rpm_limit, tokens_per_day_limit, expires_at, enabled, created_at, "
                       "updated_at) VALUES (?, ?, 'test', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
        {options.userId, providerTypeId(providerType), QString::fromLatin1(GatewayKeyCodec::hash(key.toLatin1())),
         GatewayKeyCodec::prefix(key), options.strategy, options.retryCount, options.timeoutMs,
         orNull(options.rpmLimit), orNull(options.tokensPerDay), orNull(options.expiresAtMs), int(options.enabled),
         nowMs(), nowMs()});
    if (!inserted || !inserted->next())
        qFatal("cannot add a gateway key: %s", inserted ? "no id" : qPrintable(inserted.error().message));
    const qint64 id = inserted->value(0).toLongLong();
    for (qint64 providerKey : pool)
        mustSucceed(
            db.exec(QStringLiteral("INSERT INTO gateway_key_pool (gateway_key_id, provider_key_id) VALUES (?, ?)"),
                    {id, providerKey}),
            "pool the provider key");
    emit m_service.routingChanged();
    return key.toLatin1();
}

qint64 GatewayFixture::addUser(const QString& username, const QString& role)
{
    auto inserted = m_service.database().exec(
        QStringLiteral("INSERT INTO users (username, password_hash, role_id, enabled, password_changed_at, created_at, "
                       "updated_at) SELECT ?, ?, id, 1, ?, ?, ? FROM roles WHERE name = ? RETURNING id"),
        {username, m_service.passwords().hash(QStringLiteral("password-of-") + username), nowMs(), nowMs(), nowMs(),
         role});
    if (!inserted || !inserted->next())
        qFatal("cannot add user %s", qPrintable(username));
    emit m_service.routingChanged();
    return inserted->value(0).toLongLong();
}

QList<QVariantMap> GatewayFixture::traces()
{
    QList<QVariantMap> rows;
    auto query = m_service.database().exec(QStringLiteral("SELECT * FROM traces ORDER BY id"));
    while (query && query->next()) {
        QVariantMap row;
        const QSqlRecord record = query->record();
        for (int i = 0; i < record.count(); ++i)
            row.insert(record.fieldName(i), query->value(i));
        rows.append(row);
    }
    return rows;
}

bool GatewayFixture::waitForTraces(int count, int timeoutMs)
{
    return QTest::qWaitFor([&] { return traces().size() >= count; }, timeoutMs);
}
