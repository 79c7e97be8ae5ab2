#pragma once

#include "common/Histogram.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

// Writes the Prometheus text exposition format (version 0.0.4): a family's HELP and TYPE once, then its samples.
class PrometheusText
{
public:
    using Labels = QList<QPair<QByteArray, QString>>;

    // type: "counter", "gauge" or "histogram". Every family is announced once, before its samples.
    void family(const QByteArray& name, const QByteArray& type, const QByteArray& help);
    void sample(const QByteArray& name, const Labels& labels, double value);
    // The _bucket, _sum and _count series of a histogram family.
    void histogram(const QByteArray& name, const Labels& labels, const Histogram& histogram);

    const QByteArray& text() const { return m_text; }

private:
    void series(const QByteArray& name, const Labels& labels, const QByteArray& value);

    QByteArray m_text;
};
