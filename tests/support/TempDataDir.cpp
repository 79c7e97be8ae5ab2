#include "TempDataDir.h"

#include <QTest>

TempDataDir::TempDataDir() : m_dir(QDir::tempPath() + QStringLiteral("/gatehouse-test-XXXXXX"))
{
    if (!m_dir.isValid())
        qFatal("cannot create a temporary data directory");
}
