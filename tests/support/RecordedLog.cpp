#include "RecordedLog.h"

#include <QMutex>
#include <QtGlobal>

namespace {

QStringList g_lines;
QMutex g_mutex;
QtMessageHandler g_previous = nullptr;

void record(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    {
        QMutexLocker locker(&g_mutex);
        g_lines << message;
    }
    g_previous(type, context, message);
}

} // namespace

namespace RecordedLog {

void start()
{
    g_previous = qInstallMessageHandler(record);
}

void stop()
{
    qInstallMessageHandler(g_previous);
}

QStringList lines()
{
    QMutexLocker locker(&g_mutex);
    return g_lines;
}

QString text()
{
    return lines().join(u'\n');
}

} // namespace RecordedLog
