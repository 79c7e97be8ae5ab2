#include "BuiltinTypes.h"
#include "ProviderSamples.h"
#include "TestRegistry.h"
#include "providers/JsonElementScanner.h"
#include "providers/ProviderProfile.h"
#include "providers/UsageExtractor.h"

#include <QTest>

namespace {

Usage extract(const std::shared_ptr<const UsageMatcher>& paths, const QByteArray& contentType, const QByteArray& path,
              const QByteArray& body, qsizetype pieceSize)
{
    UsageExtractor extractor(paths, contentType, path, body.size()); // as with a Content-Length
    for (qsizetype at = 0; at < body.size(); at += pieceSize)
        extractor.feed(QByteArrayView(body).sliced(at, qMin(pieceSize, body.size() - at)));
    extractor.finish();
    return extractor.usage();
}

QString describe(const Usage& u)
{
    return QStringLiteral("model=%1 prompt=%2 completion=%3 total=%4 cacheRead=%5 cacheWrite=%6 saw=%7")
        .arg(u.model)
        .arg(u.tokens.prompt)
        .arg(u.tokens.completion)
        .arg(u.tokens.total)
        .arg(u.tokens.cacheRead)
        .arg(u.tokens.cacheWrite)
        .arg(u.sawUsage ? QStringLiteral("true") : QStringLiteral("false"));
}

} // namespace

class TestUsageExtractor : public QObject
{
    Q_OBJECT

private slots:
    void providers_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("expected");
        const QByteArray json = "application/json";
        const QByteArray sse = "text/event-stream; charset=utf-8";

        QTest::newRow("openai chat") << "openai" << json << QByteArray("/v1/chat/completions")
                                     << ProviderSamples::openAiChat()
                                     << "model=gpt-4.1-2025-04-14 prompt=1019 completion=10 total=1029 cacheRead=1000 "
                                        "cacheWrite=0 saw=true";
        QTest::newRow("openai chat stream with usage")
            << "openai" << sse << QByteArray("/v1/chat/completions") << ProviderSamples::openAiChatStream(true)
            << "model=gpt-4o-mini-2024-07-18 prompt=1217 completion=9 total=1226 cacheRead=1024 cacheWrite=0 saw=true";
        QTest::newRow("openai chat stream without usage")
            << "openai" << sse << QByteArray("/v1/chat/completions") << ProviderSamples::openAiChatStream(false)
            << "model=gpt-4o-mini-2024-07-18 prompt=0 completion=0 total=0 cacheRead=0 cacheWrite=0 saw=false";
        QTest::newRow("openai responses")
            << "openai" << json << QByteArray("/v1/responses") << ProviderSamples::openAiResponses()
            << "model=gpt-4.1-2025-04-14 prompt=36 completion=87 total=123 cacheRead=12 "
               "cacheWrite=0 saw=true";
        QTest::newRow("openai responses stream")
            << "openai" << QByteArray("text/event-stream") << QByteArray("/v1/responses")
            << ProviderSamples::openAiResponsesStream()
            << "model=gpt-4.1-2025-04-14 prompt=37 completion=11 total=48 cacheRead=0 cacheWrite=0 saw=true";
        // Not one object: read by the scanner even when it arrives whole.
        QTest::newRow("json lines") << "openai" << json << QByteArray("/v1/chat/completions")
                                    << QByteArray("{\"model\":\"a\",\"usage\":{\"prompt_tokens\":1}}\n"
                                                  "{\"usage\":{\"completion_tokens\":2}}\n")
                                    << "model=a prompt=1 completion=2 total=3 cacheRead=0 cacheWrite=0 saw=true";
        QTest::newRow("openai embeddings")
            << "openai" << json << QByteArray("/v1/embeddings") << ProviderSamples::openAiEmbeddings()
            << "model=text-embedding-3-small prompt=8 completion=0 total=8 cacheRead=0 "
               "cacheWrite=0 saw=true";
        QTest::newRow("anthropic message")
            << "anthropic" << json << QByteArray("/v1/messages") << ProviderSamples::anthropicMessage()
            << "model=claude-sonnet-4-20250514 prompt=1233 completion=393 total=1626 "
               "cacheRead=1024 cacheWrite=188 saw=true";
        QTest::newRow("anthropic stream")
            << "anthropic" << sse << QByteArray("/v1/messages") << ProviderSamples::anthropicStream()
            << "model=claude-sonnet-4-20250514 prompt=1825 completion=15 total=1840 "
               "cacheRead=1800 cacheWrite=0 saw=true";
        QTest::newRow("gemini generate") << "gemini" << json
                                         << QByteArray("/v1beta/models/gemini-2.0-flash:generateContent")
                                         << ProviderSamples::geminiGenerate()
                                         << "model=gemini-2.0-flash prompt=8 completion=9 total=17 cacheRead=4 "
                                            "cacheWrite=0 saw=true";
        QTest::newRow("gemini generate, model from the body")
            << "gemini" << json << QByteArray("/v1beta/cachedContents") << ProviderSamples::geminiGenerate()
            << "model=gemini-2.0-flash-001 prompt=8 completion=9 total=17 cacheRead=4 cacheWrite=0 saw=true";
        QTest::newRow("gemini stream sse")
            << "gemini" << sse << QByteArray("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse")
            << ProviderSamples::geminiStreamSse()
            << "model=gemini-2.0-flash prompt=9 completion=12 total=21 cacheRead=0 cacheWrite=0 saw=true";
        QTest::newRow("gemini stream json array")
            << "gemini" << json << QByteArray("/v1beta/models/gemini-2.5-pro:streamGenerateContent")
            << ProviderSamples::geminiStreamArray()
            << "model=gemini-2.5-pro prompt=9 completion=11 total=20 cacheRead=0 cacheWrite=0 saw=true";
    }

    // Every piece size from 1 byte to the whole body gives the same answer.
    void providers()
    {
        QFETCH(QString, provider);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, expected);
        const auto paths = BuiltinTypes::profile(provider).usageMatcher;
        for (qsizetype size = 1; size <= body.size(); ++size) {
            const QString got = describe(extract(paths, contentType, path, body, size));
            if (got != expected)
                QFAIL(qPrintable(QStringLiteral("piece size %1: %2").arg(size).arg(got)));
        }
    }

    void hugeEmbeddingsMemberIsSkippedButUsageFound()
    {
        const QByteArray body = ProviderSamples::openAiEmbeddingsLarge();
        QVERIFY(body.size() > 1024 * 1024);
        const auto paths = BuiltinTypes::profile(QStringLiteral("openai")).usageMatcher;
        for (qsizetype size : {1, 3, 1000, 65536, int(body.size())}) {
            QCOMPARE(describe(extract(paths, "application/json", "/v1/embeddings", body, size)),
                     QStringLiteral("model=text-embedding-3-large prompt=4096 completion=0 total=4096 cacheRead=0 "
                                    "cacheWrite=0 saw=true"));
        }
    }

    void scannerHoldsOnlyTheCurrentObject()
    {
        QList<QByteArray> objects;
        JsonElementScanner scanner(16, 64);
        const auto onObject = [&](QByteArrayView object) { objects.append(object.toByteArray()); };
        scanner.feed("[{\"a\":\"0123456789abcdefghij\",\"b\":1},{\"c\":[1,2,3,4,5,6,7,8,9,10,11,12]},", onObject);
        scanner.feed("7,{\"too\":\"big\"}, {\"x\":{\"y\":\"}"
                     "\\\"}\"}},{\"d\":\"" +
                         QByteArray(100, 'z') + "\",\"e\":\"" + QByteArray(100, 'z') + "\"}, {\"f\":2}]",
                     onObject);
        QCOMPARE(objects, (QList<QByteArray>{"{\"a\":null,\"b\":1}", "{\"c\":null}", "{\"too\":\"big\"}",
                                             "{\"x\":{\"y\":\"}\\\"}\"}}", "{\"d\":null,\"e\":null}", "{\"f\":2}"}));
    }

    void oversizedSseEventIsSkipped()
    {
        const auto paths = BuiltinTypes::profile(QStringLiteral("openai")).usageMatcher;
        const QByteArray huge = "data: {\"model\":\"m\",\"usage\":{\"prompt_tokens\":1},\"pad\":\"" +
                                QByteArray(2 * 1024 * 1024, 'x') + "\"}\n\n";
        const QByteArray last = "data: {\"model\":\"m\",\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}\n\n";
        const Usage usage = extract(paths, "text/event-stream", "/v1/chat/completions", huge + last, 65536);
        QCOMPARE(usage.tokens.prompt, 5);
        QCOMPARE(usage.tokens.total, 7);
    }

    void notJsonIsIgnored()
    {
        const auto paths = BuiltinTypes::profile(QStringLiteral("openai")).usageMatcher;
        const Usage usage = extract(paths, "audio/mpeg", "/v1/audio/speech", QByteArray(10000, '\xff'), 100);
        QVERIFY(!usage.sawUsage);
        QVERIFY(usage.model.isEmpty());
    }

    // The stream prefilter reads JSON strings whole: keys after a string with an escaped quote, and after one with
    // an escaped backslash just before its closing quote, are found.
    void keysAfterEscapedQuotesAreFound()
    {
        const auto paths = BuiltinTypes::profile(QStringLiteral("openai")).usageMatcher;
        const QByteArray first = "data: {\"choices\":[{\"delta\":{\"content\":\"1 \\\" 2\"}}],\"model\":\"m\"}\n\n";
        const QByteArray last = "data: {\"choices\":[{\"delta\":{\"content\":\"3 \\\\\"}}],"
                                "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}\n\n";
        QCOMPARE(describe(extract(paths, "text/event-stream", "/v1/chat/completions", first + last, 4096)),
                 QStringLiteral("model=m prompt=5 completion=2 total=7 cacheRead=0 cacheWrite=0 saw=true"));
    }

    void customPaths()
    {
        const QByteArray json =
            "{\"model\":[\"meta.llama\"],\"prompt_tokens\":[\"stats.in\"],\"completion_tokens\":[\"stats.out\"],"
            "\"total_tokens\":[\"stats.sum\",\"stats.total\"]}";
        auto paths = UsagePaths::fromJson(QJsonDocument::fromJson(json).object());
        QVERIFY(paths.ok());
        const QByteArray body = "{\"meta\":{\"llama\":\"llama-3-70b\"},\"stats\":{\"in\":10,\"out\":4,\"total\":99}}";
        QCOMPARE(describe(extract(std::make_shared<const UsageMatcher>(*paths), "application/json", "/x", body, 5)),
                 QStringLiteral("model=llama-3-70b prompt=10 completion=4 total=99 cacheRead=0 cacheWrite=0 saw=true"));

        // In a stream, where keys are looked for before an event is read: one far longer than usual.
        const QByteArray longKey(300, 'k');
        paths = UsagePaths::fromJson(QJsonDocument::fromJson("{\"prompt_tokens\":[\"" + longKey + "\"]}").object());
        QVERIFY(paths.ok());
        const QByteArray stream = "data: {\"" + longKey + "\":12}\n\n";
        QCOMPARE(
            extract(std::make_shared<const UsageMatcher>(*paths), "text/event-stream", "/x", stream, 7).tokens.prompt,
            12);
    }
};

GATEHOUSE_TEST_MAIN(TestUsageExtractor)
#include "TestUsageExtractor.moc"
