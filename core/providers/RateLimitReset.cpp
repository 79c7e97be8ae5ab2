#include "providers/RateLimitReset.h"

#include <QDateTime>

qint64 RateLimitReset::fromHeaders(const HttpHeaders& headers)
{
    const QByteArrayView retryAfter = headers.value("retry-after").trimmed();
    bool ok = false;
    const double seconds = retryAfter.toDouble(&ok);
    if (ok && seconds >= 0)
        return qint64(seconds * 1000);
    if (!retryAfter.isEmpty()) {
        const QDateTime at = QDateTime::fromString(QString::fromLatin1(retryAfter), Qt::RFC2822Date);
        if (at.isValid())
            return qMax<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(at));
    }
    const QByteArrayView anthropicReset = headers.value("anthropic-ratelimit-requests-reset");
    if (!anthropicReset.isEmpty()) {
        const QDateTime at = QDateTime::fromString(QString::fromLatin1(anthropicReset), Qt::ISODateWithMs);
        if (at.isValid())
            return qMax<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(at));
    }
    const QByteArrayView openAiReset = headers.value("x-ratelimit-reset-requests");
    if (!openAiReset.isEmpty()) {
        qint64 total = 0;
        double number = 0;
        QByteArray digits;
        for (qsizetype i = 0; i < openAiReset.size(); ++i) {
            const char c = openAiReset.at(i);
            if ((c >= '0' && c <= '9') || c == '.') {
                digits += c;
                continue;
            }
            number = digits.toDouble();
            digits.clear();
            if (c == 'h')
                total += qint64(number * 3'600'000);
            else if (c == 'm' && i + 1 < openAiReset.size() && openAiReset.at(i + 1) == 's')
                total += qint64(number), ++i;
            else if (c == 'm')
                total += qint64(number * 60'000);
            else if (c == 's')
                total += qint64(number * 1000);
        }
        return total;
    }
    return 0;
}
