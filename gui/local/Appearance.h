#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>

// How the app looks: its language and its colours. Both apply at once to every window (a language change reaches
// each widget as QEvent::LanguageChange) and are kept in DesktopSettings by the caller.
class Appearance
{
    Q_DECLARE_TR_FUNCTIONS(Appearance)

public:
    struct Choice
    {
        QString code; // as stored in the settings; empty: follow the system
        QString name; // for a menu
    };

    // The languages the app speaks, each named in itself; first "the system's".
    static QList<Choice> languages();
    // Installs the app's and Qt's own translations for `code` (empty: the system's language); numbers, dates and
    // money follow it too. English needs no translation.
    static void setLanguage(const QString& code);

    static QList<Choice> themes(); // system, light, dark
    static void setTheme(const QString& code);
};
