#include "pages/DashboardPage.h"

#include "client/AdminClient.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineSeries>
#include <QListWidget>
#include <QPieSeries>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>

namespace {

QString from(int seconds)
{
    return QDateTime::currentDateTimeUtc().addSecs(-seconds).toString(Qt::ISODateWithMs);
}

// A latency percentile as the statistics give it: the upper bound of the histogram bucket that holds it.
QString atMostMilliseconds(const QJsonValue& value)
{
    return value.isNull()
               ? QStringLiteral("—")
               : QObject::tr("≤ %1 ms", "a latency percentile: at most this, the bound of its histogram bucket")
                     .arg(value.toInteger());
}

} // namespace

DashboardPage::DashboardPage(AdminClient& client, QWidget* parent)
    : QWidget(parent), m_client(client), m_period(new QComboBox), m_trend(new QChart), m_models(new QChart),
      m_errors(new QListWidget), m_refresh(new QTimer(this))
{
    m_period->setObjectName(QStringLiteral("dashboardPeriod"));
    m_period->addItem(tr("Last 24 hours"), 86400);
    m_period->addItem(tr("Last 7 days"), 7 * 86400);
    m_period->addItem(tr("Last 30 days"), 30 * 86400);
    auto* top = new QHBoxLayout;
    top->addWidget(m_period);
    top->addStretch();

    auto* figures = new QGridLayout;
    const QList<QPair<QString, QString>> names{{tr("Requests"), QStringLiteral("requests")},
                                               {tr("Success rate"), QStringLiteral("successRate")},
                                               {tr("Tokens"), QStringLiteral("tokens")},
                                               {tr("Cost"), QStringLiteral("cost")},
                                               {tr("Latency p50 / p95"), QStringLiteral("latency")},
                                               {tr("Last minute"), QStringLiteral("rate")}};
    for (int i = 0; i < names.size(); ++i)
        figures->addWidget(figure(names[i].first, names[i].second)->parentWidget(), 0, i);

    m_trend->setTitle(tr("Requests over time"));
    m_trend->legend()->setAlignment(Qt::AlignBottom);
    m_models->setTitle(tr("Models"));
    m_models->legend()->setAlignment(Qt::AlignRight);
    auto* trendView = new QChartView(m_trend);
    auto* modelView = new QChartView(m_models);
    for (QChartView* view : {trendView, modelView}) {
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumHeight(220);
        view->setFocusPolicy(Qt::NoFocus); // nothing to do with the keyboard there
    }
    trendView->setAccessibleName(m_trend->title());
    modelView->setAccessibleName(m_models->title());
    auto* charts = new QHBoxLayout;
    charts->addWidget(trendView, 3);
    charts->addWidget(modelView, 2);

    m_errors->setObjectName(QStringLiteral("recentErrors"));
    m_errors->setAccessibleName(tr("Latest errors"));
    m_errors->setMaximumHeight(120);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(figures);
    layout->addLayout(charts, 1);
    layout->addWidget(new QLabel(tr("Latest errors")));
    layout->addWidget(m_errors);

    connect(m_period, &QComboBox::currentIndexChanged, this, &DashboardPage::reload);
    m_refresh->setInterval(5000);
    connect(m_refresh, &QTimer::timeout, this, &DashboardPage::reload);
}

QLabel* DashboardPage::figure(const QString& title, const QString& name)
{
    auto* box = new QFrame;
    box->setFrameShape(QFrame::StyledPanel);
    auto* caption = new QLabel(title);
    auto* value = new QLabel(QStringLiteral("—"));
    value->setObjectName(name);
    QFont big = value->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    value->setFont(big);
    auto* layout = new QVBoxLayout(box);
    layout->addWidget(caption);
    layout->addWidget(value);
    m_figures.insert(name, value);
    return value;
}

void DashboardPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    reload();
    m_refresh->start();
}

void DashboardPage::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    m_refresh->stop();
}

void DashboardPage::reload()
{
    const int seconds = m_period->currentData().toInt();
    const QUrlQuery period{{QStringLiteral("from"), from(seconds)}};
    m_client.get(QStringLiteral("/api/stats/overview"), period, this, [this](const ApiResult& result) {
        if (result.ok())
            showOverview(result.object());
    });
    QUrlQuery trend = period;
    trend.addQueryItem(QStringLiteral("bucket"), seconds > 86400 ? QStringLiteral("day") : QStringLiteral("hour"));
    m_client.get(QStringLiteral("/api/stats/trend"), trend, this, [this](const ApiResult& result) {
        if (result.ok())
            showTrend(result.object().value(QLatin1String("items")).toArray());
    });
    m_client.get(QStringLiteral("/api/stats/models"), period, this, [this](const ApiResult& result) {
        if (result.ok())
            showModels(result.object().value(QLatin1String("items")).toArray());
    });
    m_client.get(QStringLiteral("/api/stats/overview"), {{QStringLiteral("from"), from(60)}}, this,
                 [this](const ApiResult& result) {
                     if (result.ok())
                         m_figures.value(QStringLiteral("rate"))
                             ->setText(
                                 tr("%1 req/s")
                                     .arg(result.object().value(QLatin1String("requests")).toDouble() / 60, 0, 'f', 2));
                 });
    m_client.get(
        QStringLiteral("/api/traces"),
        {{QStringLiteral("success"), QStringLiteral("false")}, {QStringLiteral("pageSize"), QStringLiteral("5")}}, this,
        [this](const ApiResult& result) {
            if (!result.ok())
                return;
            m_errors->clear();
            for (const QJsonValue& trace : result.object().value(QLatin1String("items")).toArray()) {
                const QDateTime at =
                    QDateTime::fromString(trace[QLatin1String("createdAt")].toString(), Qt::ISODateWithMs);
                m_errors->addItem(
                    QStringLiteral("%1  %2  %3  %4")
                        .arg(QLocale().toString(at.toLocalTime(), QLocale::ShortFormat))
                        .arg(trace[QLatin1String("status")].toInt())
                        .arg(trace[QLatin1String("path")].toString(), trace[QLatin1String("errorMessage")].toString()));
            }
        });
}

void DashboardPage::showOverview(const QJsonObject& overview)
{
    m_overview = overview;
    const QLocale locale;
    m_figures.value(QStringLiteral("requests"))
        ->setText(locale.toString(overview.value(QLatin1String("requests")).toInteger()));
    m_figures.value(QStringLiteral("successRate"))
        ->setText(QStringLiteral("%1 %").arg(
            locale.toString(overview.value(QLatin1String("successRate")).toDouble() * 100, 'f', 1)));
    m_figures.value(QStringLiteral("tokens"))
        ->setText(locale.toString(overview.value(QLatin1String("tokens"))[QLatin1String("total")].toInteger()));
    m_figures.value(QStringLiteral("cost"))
        ->setText(locale.toCurrencyString(overview.value(QLatin1String("cost"))[QLatin1String("dollars")].toDouble(),
                                          QStringLiteral("$"), 4));
    const QJsonObject duration = overview.value(QLatin1String("latency"))[QLatin1String("durationMs")].toObject();
    m_figures.value(QStringLiteral("latency"))
        ->setText(QStringLiteral("%1 / %2").arg(atMostMilliseconds(duration.value(QLatin1String("p50"))),
                                                atMostMilliseconds(duration.value(QLatin1String("p95")))));
    emit loaded();
}

void DashboardPage::showTrend(const QJsonArray& buckets)
{
    m_trend->removeAllSeries();
    for (QAbstractAxis* axis : m_trend->axes())
        m_trend->removeAxis(axis);
    auto* requests = new QLineSeries;
    auto* errors = new QLineSeries;
    requests->setName(tr("Requests"));
    errors->setName(tr("Errors"));
    requests->setColor(QColor(0x15, 0x65, 0xc0));
    errors->setColor(QColor(0xc6, 0x28, 0x28));
    int most = 1;
    QDateTime first;
    QDateTime last;
    for (const QJsonValue& bucket : buckets) {
        const QDateTime start = QDateTime::fromString(bucket[QLatin1String("start")].toString(), Qt::ISODateWithMs);
        const int count = bucket[QLatin1String("requests")].toInt();
        requests->append(qreal(start.toMSecsSinceEpoch()), count);
        errors->append(qreal(start.toMSecsSinceEpoch()), bucket[QLatin1String("errors")].toInt());
        most = qMax(most, count);
        first = first.isValid() ? first : start;
        last = start;
    }
    m_trend->addSeries(requests);
    m_trend->addSeries(errors);
    auto* x = new QDateTimeAxis;
    x->setFormat(m_period->currentData().toInt() > 86400 ? QStringLiteral("MM-dd") : QStringLiteral("HH:mm"));
    x->setTickCount(7);
    if (first.isValid())
        x->setRange(first.toLocalTime(), last.toLocalTime());
    auto* y = new QValueAxis;
    y->setRange(0, most);
    y->setLabelFormat(QStringLiteral("%d"));
    m_trend->addAxis(x, Qt::AlignBottom);
    m_trend->addAxis(y, Qt::AlignLeft);
    for (QLineSeries* series : {requests, errors}) {
        series->attachAxis(x);
        series->attachAxis(y);
    }
}

void DashboardPage::showModels(const QJsonArray& models)
{
    m_models->removeAllSeries();
    auto* pie = new QPieSeries;
    for (const QJsonValue& model : models) {
        const QString name =
            model[QLatin1String("model")].isNull() ? tr("(none)") : model[QLatin1String("model")].toString();
        pie->append(name, model[QLatin1String("requests")].toDouble());
    }
    m_models->addSeries(pie);
}
