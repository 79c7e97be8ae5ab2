#include "local/StartAtLogin.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace StartAtLogin {

QString entryFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/autostart/gatehouse.desktop");
}

QString execLine(const QString& program)
{
    // Inside double quotes \ " ` $ take a backslash; % is doubled everywhere.
    QString quoted;
    for (const QChar c : program) {
        if (c == u'\\' || c == u'"' || c == u'`' || c == u'$')
            quoted += u'\\';
        quoted += c == u'%' ? QStringLiteral("%%") : QString(c);
    }
    return QStringLiteral("Exec=\"%1\" --minimized").arg(quoted);
}

bool isOn()
{
    return QFileInfo::exists(entryFile());
}

bool set(bool on, QString* error)
{
    const QString file = entryFile();
    if (!on) {
        if (!QFileInfo::exists(file) || QFile::remove(file))
            return true;
        if (error)
            *error = QCoreApplication::translate("StartAtLogin", "Cannot remove %1.").arg(file);
        return false;
    }
    QDir().mkpath(QFileInfo(file).path());
    QSaveFile entry(file);
    const QByteArray text = "[Desktop Entry]\nType=Application\nName=Gatehouse\nComment=AI API gateway\n"
                            "Icon=gatehouse\n" +
                            execLine(QCoreApplication::applicationFilePath()).toUtf8() +
                            "\nX-GNOME-Autostart-enabled=true\n";
    if (entry.open(QIODevice::WriteOnly) && entry.write(text) == text.size() && entry.commit())
        return true;
    if (error)
        *error = QCoreApplication::translate("StartAtLogin", "Cannot write %1: %2.").arg(file, entry.errorString());
    return false;
}

} // namespace StartAtLogin
