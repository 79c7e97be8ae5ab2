#include "TestRegistry.h"
#include "http/UpstreamOrigin.h"

#include <QUrl>
#include <QTest>

class TestUpstreamOrigin : public QObject
{
    Q_OBJECT

private slots:
    void fromUrl_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("tls");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QByteArray>("authority");
        QTest::addColumn<QString>("poolKey");

        QTest::newRow("https, default port, path ignored")
            << "https://api.openai.com/v1/" << true << "api.openai.com" << 443 << QByteArray("api.openai.com")
            << "https://api.openai.com:443";
        QTest::newRow("http with a port") << "http://127.0.0.1:8000" << false << "127.0.0.1" << 8000
                                          << QByteArray("127.0.0.1:8000") << "http://127.0.0.1:8000";
        QTest::newRow("the scheme's port is not repeated") << "http://localhost:80/x" << false << "localhost" << 80
                                                           << QByteArray("localhost") << "http://localhost:80";
        QTest::newRow("IPv6 in brackets")
            << "https://[::1]:8443" << true << "::1" << 8443 << QByteArray("[::1]:8443") << "https://::1:8443";
        QTest::newRow("international name in ACE form")
            << QStringLiteral("https://b\u00fccher.example") << true << "xn--bcher-kva.example" << 443
            << QByteArray("xn--bcher-kva.example") << "https://xn--bcher-kva.example:443";
    }

    void fromUrl()
    {
        QFETCH(QString, url);
        const UpstreamOrigin origin = UpstreamOrigin::fromUrl(QUrl(url));
        QVERIFY(origin.isValid());
        QTEST(origin.tls, "tls");
        QTEST(origin.host, "host");
        QTEST(int(origin.port), "port");
        QTEST(origin.authority, "authority");
        QTEST(origin.poolKey, "poolKey");
    }

    void otherUrlsAreNotValid()
    {
        QVERIFY(!UpstreamOrigin::fromUrl(QUrl(QStringLiteral("ftp://example.com"))).isValid());
        QVERIFY(!UpstreamOrigin::fromUrl(QUrl(QStringLiteral("http:///path-only"))).isValid());
        QVERIFY(!UpstreamOrigin::fromUrl(QUrl()).isValid());
    }
};

GATEHOUSE_TEST_MAIN(TestUpstreamOrigin)
#include "TestUpstreamOrigin.moc"
