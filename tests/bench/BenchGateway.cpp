// The whole gateway in one process for tests/bench/run-gateway-bench.sh: a fresh data directory, the OpenAI provider
// type pointed at --upstream, one provider key and one gateway key. Prints "GATEWAY_KEY <key>" once listening and
// runs until SIGTERM or SIGINT.
//   BenchGateway --listen 18080 --upstream http://127.0.0.1:18081 [--workers 2]
#include "GatewayFixture.h"
#include "TempDataDir.h"

#include "app/GatewayService.h"
#include "app/ProcessSignals.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions(
        {{QStringLiteral("listen"), QStringLiteral("Proxy port."), QStringLiteral("port")},
         {QStringLiteral("upstream"), QStringLiteral("OpenAI-compatible upstream."), QStringLiteral("url")},
         {QStringLiteral("workers"), QStringLiteral("Worker threads."), QStringLiteral("n"), QStringLiteral("2")},
         {QStringLiteral("log-level"), QStringLiteral("Least level logged (info: with the access log)."),
          QStringLiteral("level"), QStringLiteral("info")}});
    parser.process(app);

    TempDataDir dataDir;
    Config config;
    config.proxy = {QHostAddress(QHostAddress::LocalHost), quint16(parser.value(QStringLiteral("listen")).toUInt())};
    config.admin = {QHostAddress(QHostAddress::LocalHost), 0};
    config.dataDir = dataDir.path();
    config.workers = parser.value(QStringLiteral("workers")).toInt();
    config.masterKey = QStringLiteral("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    config.initialAdminPassword = QStringLiteral("bench-admin-password");
    config.logLevel = parser.value(QStringLiteral("log-level"));
    Logging::install(config.logLevel, config.logFormat);

    GatewayService service(std::make_shared<const Config>(config));
    if (auto started = service.start(); !started) {
        QTextStream(stderr) << started.error().message << '\n';
        return 1;
    }
    GatewayFixture fixture(service);
    fixture.pointProviderAt(QStringLiteral("openai"), QUrl(parser.value(QStringLiteral("upstream"))));
    const QByteArray key = fixture.addGatewayKey(
        QStringLiteral("openai"), {fixture.addProviderKey(QStringLiteral("openai"), QStringLiteral("sk-bench"))});

    ProcessSignals processSignals;
    QObject::connect(&processSignals, &ProcessSignals::stopRequested, &service, &GatewayService::stop);
    QObject::connect(&service, &GatewayService::stopped, &app, &QCoreApplication::quit, Qt::QueuedConnection);
    QTextStream(stdout) << "GATEWAY_KEY " << key << Qt::endl;
    return app.exec();
}
