// Cost of reading usage from a response while it streams: nanoseconds per KiB of body, for the stream shapes the
// proxy sees. Run: build/tests/bench/BenchUsageExtractor
#include "BuiltinTypes.h"
#include "ProviderSamples.h"
#include "providers/OpenAiStreamUsage.h"
#include "providers/ProviderProfile.h"
#include "providers/UsageExtractor.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>
#include <ctime>
#include <functional>

namespace {

// A long stream: the sample's events before the last usage-bearing part repeated until about 1 MiB.
QByteArray repeatUntilMiB(const QByteArray& events, const QByteArray& tail)
{
    QByteArray stream;
    while (stream.size() < 1024 * 1024)
        stream += events;
    return stream + tail;
}

qint64 threadCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

QByteArray g_only; // run only the cases whose name contains this (first argument)

void measure(const char* what, const QByteArray& body, qsizetype pieceSize,
             const std::function<void(QByteArrayView)>& run)
{
    if (!QByteArray(what).contains(g_only))
        return;
    run(body); // warm up
    QElapsedTimer timer;
    int rounds = 0;
    timer.start();
    const qint64 cpuStart = threadCpuNs();
    while (timer.elapsed() < 1000 || rounds < 3) {
        for (qsizetype at = 0; at < body.size(); at += pieceSize)
            run(QByteArrayView(body).sliced(at, qMin(pieceSize, body.size() - at)));
        ++rounds;
    }
    // CPU time of this thread, not wall time: the machine is shared, and the figure must not depend on its load.
    const double nsPerKiB = double(threadCpuNs() - cpuStart) / rounds / (double(body.size()) / 1024.0);
    std::printf("%-52s %8.0f ns/KiB  %8.1f us/response  (%.0f MiB/s, %lld-byte pieces)\n", what, nsPerKiB,
                nsPerKiB * double(body.size()) / 1024.0 / 1000.0, 1e9 / nsPerKiB / 1024.0,
                static_cast<long long>(pieceSize));
}

void extractor(const char* what, const QString& provider, const QByteArray& contentType, const QByteArray& path,
               const QByteArray& body, qsizetype pieceSize = 4096)
{
    const auto paths = BuiltinTypes::profile(provider).usageMatcher;
    // One extractor per response, as in the proxy: built, fed, finished.
    std::unique_ptr<UsageExtractor> current;
    qsizetype fed = 0;
    measure(what, body, pieceSize, [&](QByteArrayView piece) {
        if (!current || fed >= body.size()) {
            if (current)
                current->finish();
            current = std::make_unique<UsageExtractor>(paths, contentType, path);
            fed = 0;
        }
        current->feed(piece);
        fed += piece.size();
    });
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc > 1)
        g_only = argv[1];
    const QByteArray openAiStream = ProviderSamples::openAiChatStream(true);
    const qsizetype usageAt = openAiStream.lastIndexOf("data: {", openAiStream.indexOf("\"choices\":[],"));
    const QByteArray openAi = repeatUntilMiB(openAiStream.left(usageAt), openAiStream.mid(usageAt));
    const QByteArray anthropicStream = ProviderSamples::anthropicStream();
    const qsizetype deltasAt = anthropicStream.indexOf("event: content_block_delta");
    const qsizetype deltasEnd = anthropicStream.indexOf("event: content_block_stop");
    const QByteArray anthropic =
        anthropicStream.left(deltasAt) +
        repeatUntilMiB(anthropicStream.mid(deltasAt, deltasEnd - deltasAt), anthropicStream.mid(deltasEnd));
    const QByteArray gemini = repeatUntilMiB(ProviderSamples::geminiStreamSse(), {});

    extractor("UsageExtractor openai chat SSE (usage chunk)", "openai", "text/event-stream", "/v1/chat/completions",
              openAi);
    extractor("UsageExtractor openai chat SSE, 64-byte pieces", "openai", "text/event-stream", "/v1/chat/completions",
              openAi, 64);
    extractor("UsageExtractor anthropic SSE", "anthropic", "text/event-stream", "/v1/messages", anthropic);
    extractor("UsageExtractor gemini SSE (usage in every event)", "gemini", "text/event-stream",
              "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse", gemini);
    extractor("UsageExtractor openai embeddings JSON (2 MiB)", "openai", "application/json", "/v1/embeddings",
              ProviderSamples::openAiEmbeddingsLarge());
    extractor("UsageExtractor openai chat JSON (small)", "openai", "application/json", "/v1/chat/completions",
              ProviderSamples::openAiChat());

    OpenAiStreamUsage filter;
    qsizetype passed = 0;
    measure("OpenAiStreamUsage filter, openai chat SSE", openAi, 4096,
            [&](QByteArrayView piece) { passed += filter.filter(piece).size(); });
    // What a short answer costs, its usage chunk included: one filter per response, as in the proxy.
    measure("OpenAiStreamUsage filter, a short answer", openAiStream, openAiStream.size(), [&](QByteArrayView piece) {
        OpenAiStreamUsage answer;
        passed += answer.filter(piece).size() + answer.finish().size();
    });

    // A streamed chat request carrying its conversation so far (60 messages, about 22 KiB), as chat clients send
    // each turn: the body gets include_usage before it goes upstream.
    QByteArray chat = R"({"model":"gpt-4o","stream":true,"messages":[)";
    for (int i = 0; i < 60; ++i) {
        if (i > 0)
            chat += ',';
        chat +=
            R"({"role":"user","content":")" + QByteArray(300, 'a') + R"( some text, with \"quotes\" and caf\u00e9"})";
    }
    chat += "]}";
    // The gateway changes the body it read, which it alone holds: each round takes the option out again, in place.
    QByteArray body = chat;
    body.reserve(chat.size() + 64);
    measure("OpenAiStreamUsage addUsageOption, 22 KiB chat", chat, chat.size(), [&](QByteArrayView) {
        if (OpenAiStreamUsage::addUsageOption("/v1/chat/completions", body))
            passed += body.size();
        body.truncate(chat.size() - 1);
        body += '}';
    });
    if (body != chat) {
        std::fprintf(stderr, "addUsageOption: the option went elsewhere than before the closing brace\n");
        return 1;
    }
    return 0;
}
