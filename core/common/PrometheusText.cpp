#include "common/PrometheusText.h"

#include <QLocale>

namespace {

// Label values escape backslash, double quote and line feed; HELP text backslash and line feed.
QByteArray escaped(const QString& value, bool quotes)
{
    QByteArray out;
    const QByteArray utf8 = value.toUtf8();
    out.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (c == '"' && quotes)
            out += "\\\"";
        else
            out += c;
    }
    return out;
}

QByteArray number(double value)
{
    if (qIsNaN(value))
        return "NaN";
    if (qIsInf(value))
        return value > 0 ? "+Inf" : "-Inf";
    if (qAbs(value) < 1e15 && value == double(qint64(value)))
        return QByteArray::number(qint64(value));
    return QString::number(value, 'g', QLocale::FloatingPointShortest).toLatin1();
}

} // namespace

void PrometheusText::family(const QByteArray& name, const QByteArray& type, const QByteArray& help)
{
    m_text += "# HELP " + name + ' ' + escaped(QString::fromUtf8(help), false) + '\n';
    m_text += "# TYPE " + name + ' ' + type + '\n';
}

void PrometheusText::series(const QByteArray& name, const Labels& labels, const QByteArray& value)
{
    m_text += name;
    if (!labels.isEmpty()) {
        m_text += '{';
        for (qsizetype i = 0; i < labels.size(); ++i) {
            if (i > 0)
                m_text += ',';
            m_text += labels[i].first + "=\"" + escaped(labels[i].second, true) + '"';
        }
        m_text += '}';
    }
    m_text += ' ' + value + '\n';
}

void PrometheusText::sample(const QByteArray& name, const Labels& labels, double value)
{
    series(name, labels, number(value));
}

void PrometheusText::histogram(const QByteArray& name, const Labels& labels, const Histogram& histogram)
{
    Labels withBound = labels;
    withBound.append({"le", QString()});
    for (size_t i = 0; i <= Histogram::kBounds.size(); ++i) {
        withBound.last().second =
            i < Histogram::kBounds.size() ? QString::fromLatin1(number(Histogram::kBounds[i])) : QStringLiteral("+Inf");
        series(name + "_bucket", withBound, QByteArray::number(histogram.cumulative(i)));
    }
    series(name + "_sum", labels, number(histogram.sum()));
    series(name + "_count", labels, QByteArray::number(histogram.count()));
}
