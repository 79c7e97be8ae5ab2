#include "config/Config.h"

#include <QDir>
#include <QThread>

QString Config::sqlitePath() const
{
    return QDir(dataDir).absoluteFilePath(QStringLiteral("gatehouse.db"));
}

int Config::effectiveWorkers() const
{
    return workers > 0 ? workers : qMax(1, QThread::idealThreadCount());
}
