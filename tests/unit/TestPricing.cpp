#include "TestRegistry.h"
#include "providers/Pricing.h"

#include <QTest>

namespace {

ModelPrice row(const QString& provider, const QString& pattern, qint64 input, qint64 output)
{
    ModelPrice price;
    price.provider = provider;
    price.modelPattern = pattern;
    price.inputPerMillion = input;
    price.outputPerMillion = output;
    return price;
}

Usage usage(const QString& model, qint64 prompt, qint64 completion, qint64 cacheRead = 0, qint64 cacheWrite = 0)
{
    Usage u;
    u.model = model;
    u.tokens.prompt = prompt;
    u.tokens.completion = completion;
    u.tokens.total = prompt + completion;
    u.tokens.cacheRead = cacheRead;
    u.tokens.cacheWrite = cacheWrite;
    u.sawUsage = true;
    return u;
}

} // namespace

class TestPricing : public QObject
{
    Q_OBJECT

private slots:
    void matching_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("expected"); // matched pattern; empty: none
        QTest::newRow("exact beats a longer wildcard") << "openai"
                                                       << "gpt-4o"
                                                       << "gpt-4o";
        QTest::newRow("longest wildcard wins") << "openai"
                                               << "gpt-4o-mini-2024-07-18"
                                               << "gpt-4o-mini*";
        QTest::newRow("shorter wildcard") << "openai"
                                          << "gpt-4o-2024-08-06"
                                          << "gpt-4o*";
        QTest::newRow("star in the middle") << "anthropic"
                                            << "claude-3-5-sonnet-20241022"
                                            << "claude-*-sonnet-*";
        QTest::newRow("catch-all") << "anthropic"
                                   << "claude-opus-4-1"
                                   << "*";
        QTest::newRow("provider matters") << "gemini"
                                          << "gpt-4o"
                                          << "";
        QTest::newRow("no partial match without a star") << "openai"
                                                         << "gpt-4"
                                                         << "";
        QTest::newRow("unknown model") << "openai"
                                       << ""
                                       << "";
    }

    void matching()
    {
        QFETCH(QString, provider);
        QFETCH(QString, model);
        QFETCH(QString, expected);
        const Pricing pricing(
            {row("openai", "gpt-4o*", 2'500'000, 10'000'000), row("openai", "gpt-4o-mini*", 150'000, 600'000),
             row("openai", "gpt-4o", 5'000'000, 15'000'000), row("openai", "gpt-4o-*-extra-long-pattern", 1, 1),
             row("anthropic", "*", 1, 1), row("anthropic", "claude-*-sonnet-*", 3'000'000, 15'000'000)});
        const ModelPrice* found = pricing.find(provider, model);
        QCOMPARE(found ? found->modelPattern : QString(), expected);
    }

    void cost_data()
    {
        QTest::addColumn<qint64>("expectedMicros");
        QTest::addColumn<qint64>("prompt");
        QTest::addColumn<qint64>("completion");
        QTest::addColumn<qint64>("cacheRead");
        QTest::addColumn<qint64>("cacheWrite");
        // $3/M input, $15/M output, $0.30/M cache read, $3.75/M cache write (Claude Sonnet).
        QTest::newRow("plain") << qint64(3'000 + 15'000) << qint64(1000) << qint64(1000) << qint64(0) << qint64(0);
        QTest::newRow("one million each")
            << qint64(18'000'000) << qint64(1'000'000) << qint64(1'000'000) << qint64(0) << qint64(0);
        // 1825 prompt of which 1800 cache read: 25 x 3 + 1800 x 0.3 + 15 x 15 = 75 + 540 + 225 = 840
        QTest::newRow("cache read") << qint64(840) << qint64(1825) << qint64(15) << qint64(1800) << qint64(0);
        // 1233 prompt: 21 input, 1024 read, 188 write: 63 + 307.2 + 705 + 393 x 15 (5895) = 6970.2 -> 6970
        QTest::newRow("cache read and write")
            << qint64(6970) << qint64(1233) << qint64(393) << qint64(1024) << qint64(188);
        QTest::newRow("rounds half up") << qint64(2) << qint64(0) << qint64(0) << qint64(5) << qint64(0); // 1.5
        QTest::newRow("huge counts do not overflow") << qint64(18'000'000'000'000) << qint64(1'000'000'000'000)
                                                     << qint64(1'000'000'000'000) << qint64(0) << qint64(0);
    }

    void cost()
    {
        QFETCH(qint64, expectedMicros);
        QFETCH(qint64, prompt);
        QFETCH(qint64, completion);
        QFETCH(qint64, cacheRead);
        QFETCH(qint64, cacheWrite);
        ModelPrice price = row("anthropic", "claude-sonnet-4*", 3'000'000, 15'000'000);
        price.cacheReadPerMillion = 300'000;
        price.cacheWritePerMillion = 3'750'000;
        const Pricing pricing({price});
        QCOMPARE(pricing.costMicros("anthropic",
                                    usage("claude-sonnet-4-20250514", prompt, completion, cacheRead, cacheWrite)),
                 std::optional<qint64>(expectedMicros));
        QCOMPARE(pricing.costMicros("anthropic", usage("claude-haiku", prompt, completion)), std::nullopt);
    }

    void cachedInputWithoutCachePriceCostsTheInputPrice()
    {
        // OpenAI counts cached tokens inside prompt_tokens: 1019 prompt, 1000 cached, 10 completion at $2/$8.
        const ModelPrice price = row("openai", "gpt-4.1*", 2'000'000, 8'000'000);
        QCOMPARE(Pricing::costMicros(price, usage("gpt-4.1", 1019, 10, 1000)), qint64(2038 + 80));
    }

    void dollars_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("micros"); // -1: invalid
        QTest::newRow("integer") << "3" << qint64(3'000'000);
        QTest::newRow("cents") << "2.50" << qint64(2'500'000);
        QTest::newRow("six decimals") << "0.075001" << qint64(75'001);
        QTest::newRow("spaces") << " 15.0 " << qint64(15'000'000);
        QTest::newRow("seven decimals") << "0.0000001" << qint64(-1);
        QTest::newRow("negative") << "-1" << qint64(-1);
        QTest::newRow("no digits after the dot") << "1." << qint64(-1);
        QTest::newRow("exponent") << "1e3" << qint64(-1);
        QTest::newRow("empty") << "" << qint64(-1);
    }

    void dollars()
    {
        QFETCH(QString, text);
        QFETCH(qint64, micros);
        QCOMPARE(Pricing::microsFromDollars(text).value_or(-1), micros);
    }
};

GATEHOUSE_TEST_MAIN(TestPricing)
#include "TestPricing.moc"
