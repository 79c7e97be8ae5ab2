// Without libFuzzer (g++ builds): replays every file of the corpus directories given on the command line, then
// --runs N pseudo-random mutations of them (fixed seed, so a failure reproduces).
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>

#include <cstdint>
#include <cstdio>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

QByteArray mutate(QByteArray input, const QList<QByteArray>& corpus, QRandomGenerator& random)
{
    static const QByteArray kTokens[] = {"\r\n",
                                         "\n",
                                         "\r",
                                         ":",
                                         " ",
                                         "\t",
                                         "0\r\n\r\n",
                                         "Transfer-Encoding: chunked",
                                         "Content-Length: ",
                                         "ffffffffffffffff",
                                         "-1",
                                         "Expect: 100-continue",
                                         "HTTP/1.0",
                                         "HEAD ",
                                         ";ext=",
                                         "\r\n\r\n"};
    const int steps = 1 + int(random.bounded(4));
    for (int step = 0; step < steps; ++step) {
        const qsizetype at = input.isEmpty() ? 0 : qsizetype(random.bounded(quint32(input.size() + 1)));
        switch (random.bounded(5)) {
        case 0:
            if (!input.isEmpty() && at < input.size())
                input[at] = char(random.bounded(256));
            break;
        case 1:
            input.insert(at, kTokens[random.bounded(quint32(std::size(kTokens)))]);
            break;
        case 2:
            input.remove(at, qsizetype(random.bounded(16)));
            break;
        case 3: {
            const QByteArray& other = corpus[random.bounded(quint32(corpus.size()))];
            input = input.left(at) + other.mid(other.isEmpty() ? 0 : random.bounded(quint32(other.size())));
            break;
        }
        default:
            input.insert(at, QByteArray(qsizetype(random.bounded(64)), char(random.bounded(256))));
            break;
        }
    }
    return input;
}

} // namespace

int main(int argc, char* argv[])
{
    int runs = 0;
    QList<QByteArray> corpus;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = std::atoi(argv[++i]);
            continue;
        }
        const QDir dir(QString::fromLocal8Bit(argv[i]));
        for (const QString& name : dir.entryList(QDir::Files, QDir::Name)) {
            QFile file(dir.filePath(name));
            if (file.open(QIODevice::ReadOnly))
                corpus.append(file.readAll());
        }
    }
    if (corpus.isEmpty())
        corpus.append(QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    for (const QByteArray& input : std::as_const(corpus))
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.constData()), size_t(input.size()));
    QRandomGenerator random(20261126);
    for (int i = 0; i < runs; ++i) {
        const QByteArray input = mutate(corpus[random.bounded(quint32(corpus.size()))], corpus, random);
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.constData()), size_t(input.size()));
    }
    std::printf("replayed %lld corpus inputs and %d mutations\n", qint64(corpus.size()), runs);
    return 0;
}
