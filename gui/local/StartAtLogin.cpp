#include "local/StartAtLogin.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

namespace StartAtLogin {

QString entryFile()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/autostart/gatehouse.desktop");
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
    // The program's path quoted as the Desktop Entry specification wants it: \ " ` $ escaped, % doubled.
    QString program = QCoreApplication::applicationFilePath();
    program.replace(QRegularExpression(QStringLiteral("([\\\\\"`$])")), QStringLiteral("\\\\\\1"));
    program.replace(QLatin1Char('%'), QStringLiteral("%%"));
    const QByteArray text = "[Desktop Entry]\nType=Application\nName=Gatehouse\nComment=AI API gateway\n"
                            "Icon=gatehouse\nExec=\"" +
                            program.toUtf8() + "\" --minimized\nX-GNOME-Autostart-enabled=true\n";
    if (entry.open(QIODevice::WriteOnly) && entry.write(text) == text.size() && entry.commit())
        return true;
    if (error)
        *error = QCoreApplication::translate("StartAtLogin", "Cannot write %1: %2.").arg(file, entry.errorString());
    return false;
}

} // namespace StartAtLogin
