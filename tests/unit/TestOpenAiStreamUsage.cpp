#include "BuiltinTypes.h"
#include "ProviderSamples.h"
#include "TestRegistry.h"
#include "providers/OpenAiStreamUsage.h"
#include "providers/ProviderProfile.h"
#include "providers/UsageExtractor.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

class TestOpenAiStreamUsage : public QObject
{
    Q_OBJECT

private slots:
    void requestRewrite_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("expected"); // empty: not rewritten

        const QByteArray plain =
            "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        QTest::newRow("stream without options: option inserted, the rest byte for byte")
            << QByteArray("/v1/chat/completions") << plain
            << QByteArray("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":"
                          "\"hi\"}],\"stream_options\":{\"include_usage\":true}}");
        QTest::newRow("pretty-printed body")
            << QByteArray("/v1/chat/completions?x=1") << QByteArray("\n  {\n  \"stream\": true\n}\n")
            << QByteArray("\n  {\n  \"stream\": true\n,\"stream_options\":{\"include_usage\":true}}\n");
        QTest::newRow("prefixed base path") << QByteArray("/openai/v1/chat/completions") << plain
                                            << plain.chopped(1) + ",\"stream_options\":{\"include_usage\":true}}";
        QTest::newRow("client asked for usage")
            << QByteArray("/v1/chat/completions")
            << QByteArray("{\"stream\":true,\"stream_options\":{\"include_usage\":true}}") << QByteArray();
        QTest::newRow("client said no usage")
            << QByteArray("/v1/chat/completions")
            << QByteArray("{\"stream\":true,\"stream_options\":{\"include_usage\":false,\"other\":1}}")
            << QByteArray("{\"stream\":true,\"stream_options\":{\"include_usage\":true,\"other\":1}}");
        QTest::newRow("null options") << QByteArray("/v1/chat/completions")
                                      << QByteArray("{\"stream\":true,\"stream_options\":null}")
                                      << QByteArray("{\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        QTest::newRow("not streamed") << QByteArray("/v1/chat/completions") << QByteArray("{\"stream\":false}")
                                      << QByteArray();
        QTest::newRow("no stream member") << QByteArray("/v1/chat/completions")
                                          << QByteArray("{\"model\":\"gpt-4o\",\"streaming\":true}") << QByteArray();
        QTest::newRow("member name written with escapes")
            << QByteArray("/v1/chat/completions") << QByteArray("{\"\\u0073tream\":true}")
            << QByteArray("{\"\\u0073tream\":true,\"stream_options\":{\"include_usage\":true}}");
        QTest::newRow("spaces around the value")
            << QByteArray("/v1/chat/completions") << QByteArray("{\"model\":\"m\", \"stream\" : true , \"n\":1}")
            << QByteArray("{\"model\":\"m\", \"stream\" : true , \"n\":1,\"stream_options\":{\"include_usage\":true}}");
        QTest::newRow("escapes in values only")
            << QByteArray("/v1/chat/completions")
            << QByteArray("{\"messages\":[{\"content\":\"caf\\u00e9 \\\"x\\\"\"}],\"stream\":true}")
            << QByteArray("{\"messages\":[{\"content\":\"caf\\u00e9 \\\"x\\\"\"}],\"stream\":true,"
                          "\"stream_options\":{\"include_usage\":true}}");
        QTest::newRow("stream named only inside a message")
            << QByteArray("/v1/chat/completions")
            << QByteArray("{\"messages\":[{\"role\":\"user\",\"content\":\"{\\\"stream\\\":true}\",\"stream\":true}]}")
            << QByteArray();
        QTest::newRow("stream named twice, true last: the last counts, as providers read it")
            << QByteArray("/v1/chat/completions") << QByteArray("{\"stream\":false,\"stream\":true}")
            << QByteArray("{\"stream\":false,\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        QTest::newRow("stream named twice, false last")
            << QByteArray("/v1/chat/completions") << QByteArray("{\"stream\":true,\"stream\":false}") << QByteArray();
        QTest::newRow("stream as a string is not true")
            << QByteArray("/v1/chat/completions") << QByteArray("{\"stream\":\"true\"}") << QByteArray();
        QTest::newRow("a closing brace inside a string, spaces after the object")
            << QByteArray("/v1/chat/completions") << QByteArray("{\"stream\":true,\"m\":\"}\"} \n")
            << QByteArray("{\"stream\":true,\"m\":\"}\",\"stream_options\":{\"include_usage\":true}} \n");
        QTest::newRow("something after the object")
            << QByteArray("/v1/chat/completions") << QByteArray("{\"stream\":true} x") << QByteArray();
        QTest::newRow("responses API") << QByteArray("/v1/responses") << plain << QByteArray();
        QTest::newRow("not JSON") << QByteArray("/v1/chat/completions") << QByteArray("stream=true") << QByteArray();
    }

    void requestRewrite()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, expected);
        QByteArray rewritten = body;
        QCOMPARE(OpenAiStreamUsage::addUsageOption(path, rewritten), !expected.isEmpty());
        if (expected.isEmpty()) {
            QCOMPARE(rewritten, body);
            return;
        }
        QCOMPARE(rewritten, expected);
        const QJsonObject request = QJsonDocument::fromJson(rewritten).object();
        QCOMPARE(request.value("stream_options").toObject().value("include_usage"), QJsonValue(true));
    }

    // What the client receives equals, byte for byte, the stream it gets when nobody asked for usage, at every piece
    // size, while extractors see the usage, from the filter's events and from the upstream bytes alike.
    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("upstream");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("LF") << ProviderSamples::openAiChatStream(true) << ProviderSamples::openAiChatStream(false);
        QByteArray upstream = ProviderSamples::openAiChatStream(true);
        QByteArray expected = ProviderSamples::openAiChatStream(false);
        upstream.replace("\n", "\r\n");
        expected.replace("\n", "\r\n");
        QTest::newRow("CRLF") << upstream << expected;
        upstream.replace("\r\n", "\r");
        expected.replace("\r\n", "\r");
        QTest::newRow("CR") << upstream << expected;
        upstream = ": OPENROUTER PROCESSING\n\n" + ProviderSamples::openAiChatStream(true);
        expected = ": OPENROUTER PROCESSING\n\n" + ProviderSamples::openAiChatStream(false);
        QTest::newRow("comments pass") << upstream << expected;
        upstream = ProviderSamples::openAiChatStream(true);
        upstream.chop(QByteArray("data: [DONE]\n\n").size());
        expected = ProviderSamples::openAiChatStream(false);
        expected.chop(QByteArray("data: [DONE]\n\n").size());
        QTest::newRow("cut after the usage chunk") << upstream << expected;
        QTest::newRow("unterminated last event passes as sent")
            << upstream + "data: {\"partial" << expected + "data: {\"partial";
        // Cut after the usage chunk's last CR: only finish() knows no LF follows, and ends that chunk.
        upstream.replace("\n", "\r");
        expected.replace("\n", "\r");
        QTest::newRow("CR, cut after the usage chunk") << upstream << expected;
    }

    void roundTrip()
    {
        QFETCH(QByteArray, upstream);
        QFETCH(QByteArray, expected);
        const auto paths = BuiltinTypes::profile(QStringLiteral("openai")).usageMatcher;
        // The usage is read from the events the filter parsed, as the gateway does, and from the bytes, by a second
        // extractor: both find it.
        for (qsizetype size = 1; size <= upstream.size(); ++size) {
            OpenAiStreamUsage filter;
            UsageExtractor fromEvents(paths, "text/event-stream", "/v1/chat/completions");
            UsageExtractor fromBytes(paths, "text/event-stream", "/v1/chat/completions");
            QByteArray client;
            QList<SseEvent> events;
            const auto readEvents = [&] {
                for (const SseEvent& event : std::exchange(events, {}))
                    fromEvents.readEvent(event);
            };
            for (qsizetype at = 0; at < upstream.size(); at += size) {
                const QByteArrayView piece = QByteArrayView(upstream).sliced(at, qMin(size, upstream.size() - at));
                fromBytes.feed(piece);
                client += filter.filter(piece, &events);
                readEvents();
            }
            client += filter.finish(&events);
            readEvents();
            fromBytes.finish();
            if (client != expected)
                QFAIL(qPrintable(QStringLiteral("piece size %1:\n%2").arg(size).arg(QString::fromUtf8(client))));
            for (const UsageExtractor* extractor : {&fromEvents, &fromBytes}) {
                QCOMPARE(extractor->usage().tokens.total, 1226);
                QCOMPARE(extractor->usage().tokens.cacheRead, 1024);
            }
            QCOMPARE(fromEvents.events(), fromBytes.events());
        }
    }

    // Only the chunk include_usage adds is taken out: top-level usage an object, choices empty, null or absent.
    void usageChunkShapes_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<bool>("takenOut");
        const QByteArray usage = "\"usage\":{\"prompt_tokens\":1,\"total_tokens\":3}";
        QTest::newRow("choices empty") << "{\"id\":\"c\",\"choices\":[]," + usage + "}" << true;
        QTest::newRow("spaces") << "{ \"id\" : \"c\" , \"choices\" : [ ] , " + usage + " }" << true;
        QTest::newRow("choices absent") << "{\"id\":\"c\"," + usage + "}" << true;
        QTest::newRow("choices null") << "{\"choices\":null," + usage + "}" << true;
        QTest::newRow("key written with escapes") << "{\"\\u0063hoices\":[]," + usage + "}" << true;
        QTest::newRow("key written with escapes, choices not empty")
            << "{\"\\u0063hoices\":[{\"delta\":{}}]," + usage + "}" << false;
        QTest::newRow("usage with the last words")
            << "{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]," + usage + "}" << false;
        QTest::newRow("usage only inside a choice") << "{\"choices\":[{" + usage + "}]}" << false;
        QTest::newRow("usage named only in a string")
            << QByteArray("{\"choices\":[],\"note\":\"{\\\"usage\\\":{}}\"}") << false;
    }

    void usageChunkShapes()
    {
        QFETCH(QByteArray, data);
        QFETCH(bool, takenOut);
        const QByteArray event = "data: " + data + "\n\n";
        OpenAiStreamUsage filter;
        QCOMPARE(filter.filter(event) + filter.finish(), takenOut ? QByteArray() : event);
    }

    // A complete event leaves the filter in the same call that completed it; only an incomplete one is held.
    void eventsAreNotDelayed()
    {
        const QByteArray first = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"usage\":null}\n\n";
        OpenAiStreamUsage filter;
        QCOMPARE(filter.filter(first.left(10)), QByteArray());
        QCOMPARE(filter.filter(first.mid(10) + "data: {\"cho"),
                 QByteArray("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"));
        QCOMPARE(filter.filter("ices\":[],\"usage\":{\"prompt_tokens\":1}}\n\n"), QByteArray());
        QCOMPARE(filter.filter(": ping\n\n"), QByteArray(": ping\n\n"));
        QCOMPARE(filter.filter("data: [DONE]\n\n"), QByteArray("data: [DONE]\n\n"));
        QCOMPARE(filter.finish(), QByteArray());
    }

    void largeEventPassesThroughUnheld()
    {
        const QByteArray content(200 * 1024, 'x');
        const QByteArray event = "data: {\"choices\":[{\"delta\":{\"content\":\"" + content + "\"}}]}\n\n";
        OpenAiStreamUsage filter;
        QByteArray client;
        qsizetype mostHeld = 0;
        for (qsizetype at = 0; at < event.size(); at += 1000) {
            const QByteArray piece = event.mid(at, 1000);
            client += filter.filter(piece);
            mostHeld = qMax(mostHeld, at + piece.size() - client.size());
        }
        client += filter.finish();
        QCOMPARE(client, event);
        QVERIFY(mostHeld <= OpenAiStreamUsage::kMaxHeldBytes + 1000);
    }
};

GATEHOUSE_TEST_MAIN(TestOpenAiStreamUsage)
#include "TestOpenAiStreamUsage.moc"
