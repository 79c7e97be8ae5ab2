#include "TestRegistry.h"
#include "auth/Jwt.h"

#include <QTest>

namespace {

const QByteArray kSecret = QByteArray("0123456789abcdef0123456789abcdef-test-secret");
const QDateTime kNow = QDateTime::fromSecsSinceEpoch(1800000000, Qt::UTC);
const qint64 kNowSeconds = kNow.toSecsSinceEpoch();

QByteArray b64url(const QByteArray& bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// A token made independently of Jwt (Qt's own HMAC), with any header and payload text.
QByteArray forge(const QByteArray& header, const QByteArray& payload, const QByteArray& secret = kSecret)
{
    const QByteArray input = b64url(header) + '.' + b64url(payload);
    return input + '.' + b64url(QMessageAuthenticationCode::hash(input, secret, QCryptographicHash::Sha256));
}

QByteArray claims(const QByteArray& extra = {})
{
    QByteArray json = "{\"sub\":\"user:1\",\"exp\":" + QByteArray::number(kNowSeconds + 3600);
    return json + extra + '}';
}

const QByteArray kHeader = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

// The signature part spelled differently with the same bytes: the two unused low bits of the last character set.
QByteArray nonCanonicalSignature(const QByteArray& token)
{
    static const QByteArray alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    QByteArray changed = token;
    const qsizetype index = alphabet.indexOf(changed.back());
    changed.back() = alphabet[index ^ 1];
    return changed;
}

} // namespace

class TestJwt : public QObject
{
    Q_OBJECT

private slots:
    void signThenVerifyReturnsTheClaims()
    {
        QJsonObject claims{{"sub", "user:42"}, {"role", "admin"}, {"iat", kNowSeconds}, {"exp", kNowSeconds + 900}};
        const QByteArray token = Jwt::sign(claims, kSecret);
        const Result<QJsonObject> verified = Jwt::verify(token, kSecret, kNow);
        QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().message));
        QCOMPARE(*verified, claims);
    }

    void signProducesAStandardHs256Token()
    {
        const QByteArray token = Jwt::sign(QJsonObject{{"exp", kNowSeconds}}, kSecret);
        const QList<QByteArray> parts = token.split('.');
        QCOMPARE(parts.size(), 3);
        const QJsonObject header =
            QJsonDocument::fromJson(QByteArray::fromBase64(parts[0], QByteArray::Base64UrlEncoding)).object();
        QCOMPARE(header, (QJsonObject{{"alg", "HS256"}, {"typ", "JWT"}}));
        QCOMPARE(token, forge(QByteArray::fromBase64(parts[0], QByteArray::Base64UrlEncoding),
                              QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding)));
        QVERIFY(!token.contains('='));
    }

    // RFC 7515 appendix A.1: an HS256 JWS made by someone else verifies.
    void verifiesTheRfc7515Example()
    {
        const QByteArray key = QByteArray::fromBase64(
            "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
            QByteArray::Base64UrlEncoding);
        const QByteArray token =
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
            "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        const Result<QJsonObject> verified = Jwt::verify(token, key, QDateTime::fromSecsSinceEpoch(1300819000));
        QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().message));
        QCOMPARE(verified->value("iss").toString(), QStringLiteral("joe"));
        QCOMPARE(Jwt::verify(token, key, QDateTime::fromSecsSinceEpoch(1300819380 + 30)).error().code,
                 QStringLiteral("token_expired"));
    }

    void accepted_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::newRow("typ absent") << forge("{\"alg\":\"HS256\"}", claims());
        QTest::newRow("exp within leeway") << forge(kHeader, "{\"exp\":" + QByteArray::number(kNowSeconds - 29) + '}');
        QTest::newRow("nbf within leeway")
            << forge(kHeader, claims(",\"nbf\":" + QByteArray::number(kNowSeconds + 29)));
        QTest::newRow("iat within leeway")
            << forge(kHeader, claims(",\"iat\":" + QByteArray::number(kNowSeconds + 29)));
        QTest::newRow("nbf and iat past") << forge(kHeader, claims(",\"nbf\":1,\"iat\":1"));
        QTest::newRow("fractional exp") << forge(kHeader, "{\"exp\":" + QByteArray::number(kNowSeconds) + ".5}");
    }

    void accepted()
    {
        QFETCH(QByteArray, token);
        const Result<QJsonObject> verified = Jwt::verify(token, kSecret, kNow);
        QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().message));
    }

    void rejected_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QString>("code");
        const QByteArray good = forge(kHeader, claims());
        const QList<QByteArray> parts = good.split('.');
        auto row = [](const char* name, const QByteArray& token, const char* code) {
            QTest::newRow(name) << token << QString::fromLatin1(code);
        };

        row("empty", QByteArray(), "token_malformed");
        row("one part", parts[0], "token_malformed");
        row("two parts", parts[0] + '.' + parts[1], "token_malformed");
        row("four parts", good + ".x", "token_malformed");
        row("empty signature", parts[0] + '.' + parts[1] + '.', "token_malformed");
        row("empty header", '.' + parts[1] + '.' + parts[2], "token_malformed");
        row("too long", forge(kHeader, claims(",\"pad\":\"" + QByteArray(9000, 'x') + '"')), "token_malformed");

        row("header not base64url", "e*J." + parts[1] + '.' + parts[2], "token_bad_encoding");
        row("padded part", parts[0] + "=." + parts[1] + '.' + parts[2], "token_bad_encoding");
        row("standard base64 alphabet",
            parts[0] + '.' + parts[1] + '.' + QByteArray(parts[2]).replace('-', '+').replace('_', '/') + "+/",
            "token_bad_encoding");
        row("non-canonical signature", nonCanonicalSignature(good), "token_bad_encoding");

        row("header not json", forge("not json", claims()), "token_bad_json");
        row("header is an array", forge("[\"HS256\"]", claims()), "token_bad_json");
        row("payload not json", forge(kHeader, "{\"exp\":"), "token_bad_json");
        row("payload is a string", forge(kHeader, "\"claims\""), "token_bad_json");

        row("alg none", forge("{\"alg\":\"none\",\"typ\":\"JWT\"}", claims()), "token_unsupported_alg");
        row("alg none unsigned", b64url("{\"alg\":\"none\"}") + '.' + b64url(claims()) + ".AA",
            "token_unsupported_alg");
        row("alg None", forge("{\"alg\":\"None\"}", claims()), "token_unsupported_alg");
        row("alg hs256", forge("{\"alg\":\"hs256\"}", claims()), "token_unsupported_alg");
        row("alg HS512", forge("{\"alg\":\"HS512\"}", claims()), "token_unsupported_alg");
        row("alg RS256", forge("{\"alg\":\"RS256\"}", claims()), "token_unsupported_alg");
        row("alg missing", forge("{\"typ\":\"JWT\"}", claims()), "token_unsupported_alg");
        row("alg not a string", forge("{\"alg\":256}", claims()), "token_unsupported_alg");

        row("typ JWS", forge("{\"alg\":\"HS256\",\"typ\":\"JWS\"}", claims()), "token_bad_type");
        row("typ at+jwt", forge("{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}", claims()), "token_bad_type");
        row("typ null", forge("{\"alg\":\"HS256\",\"typ\":null}", claims()), "token_bad_type");

        row("other secret", forge(kHeader, claims(), "another secret of enough length 0123456789"),
            "token_bad_signature");
        row("payload swapped", parts[0] + '.' + b64url(claims(",\"role\":\"admin\"")) + '.' + parts[2],
            "token_bad_signature");
        row("signature truncated",
            parts[0] + '.' + parts[1] + '.' +
                b64url(QByteArray::fromBase64(parts[2], QByteArray::Base64UrlEncoding).left(31)),
            "token_bad_signature");

        row("exp missing", forge(kHeader, "{\"sub\":\"user:1\"}"), "token_missing_exp");
        row("exp a string", forge(kHeader, "{\"exp\":\"" + QByteArray::number(kNowSeconds + 60) + "\"}"),
            "token_bad_claim");
        row("exp null", forge(kHeader, "{\"exp\":null}"), "token_bad_claim");
        row("nbf a string", forge(kHeader, claims(",\"nbf\":\"0\"")), "token_bad_claim");
        row("iat a bool", forge(kHeader, claims(",\"iat\":true")), "token_bad_claim");

        row("expired beyond leeway", forge(kHeader, "{\"exp\":" + QByteArray::number(kNowSeconds - 30) + '}'),
            "token_expired");
        row("expired long ago", forge(kHeader, "{\"exp\":1}"), "token_expired");
        row("nbf beyond leeway", forge(kHeader, claims(",\"nbf\":" + QByteArray::number(kNowSeconds + 31))),
            "token_not_yet_valid");
        row("iat beyond leeway", forge(kHeader, claims(",\"iat\":" + QByteArray::number(kNowSeconds + 31))),
            "token_issued_in_future");
    }

    void rejected()
    {
        QFETCH(QByteArray, token);
        QFETCH(QString, code);
        const Result<QJsonObject> verified = Jwt::verify(token, kSecret, kNow);
        QVERIFY(!verified.ok());
        QCOMPARE(verified.error().code, code);
        QVERIFY(!verified.error().message.isEmpty());
    }

    void leewayIsAParameter()
    {
        const QByteArray token = forge(kHeader, "{\"exp\":" + QByteArray::number(kNowSeconds - 1) + '}');
        QVERIFY(Jwt::verify(token, kSecret, kNow).ok());
        QCOMPARE(Jwt::verify(token, kSecret, kNow, 0).error().code, QStringLiteral("token_expired"));
    }

    void shortSecretIsRefused()
    {
        const QByteArray shortSecret = "0123456789abcdef0123456789abcde"; // 31 bytes
        const QByteArray token = forge(kHeader, claims(), shortSecret);
        QCOMPARE(Jwt::verify(token, shortSecret, kNow).error().code, QStringLiteral("token_bad_secret"));
    }
};

GATEHOUSE_TEST_MAIN(TestJwt)
#include "TestJwt.moc"
