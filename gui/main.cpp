#include "MainWindow.h"

#include "app/GatewayService.h"
#include "config/ConfigLoader.h"

#include <QApplication>
#include <QDir>
#include <QIcon>
#include <QLocale>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTranslator>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("gatehouse"));
    QApplication::setApplicationVersion(QStringLiteral(GATEHOUSE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("gatehouse"));
    QIcon icon;
    for (const QString& file : QDir(QStringLiteral(":/icons")).entryList())
        icon.addFile(QStringLiteral(":/icons/") + file);
    QApplication::setWindowIcon(icon);
    // The user's language where translations/ has it; English otherwise.
    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("gatehouse"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Gatehouse AI API gateway, desktop app."));
    parser.addHelpOption();
    parser.addVersionOption();
    ConfigLoader::addOptions(parser);
    parser.process(app);

    // A desktop user's data belongs in their data location, not in whatever directory the app was started from.
    Config defaults;
    defaults.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    defaults.adminOnProxyPort = false; // the app manages its gateway through the admin listener on loopback
    defaults.allowKeychain = true;     // a desktop has a keychain for the master key; a key file is the fallback
    QStringList warnings;
    auto config = ConfigLoader::load(parser, QProcessEnvironment::systemEnvironment(), std::move(defaults), &warnings);
    if (!config) {
        QMessageBox::critical(nullptr, QObject::tr("Gatehouse"), config.error().message);
        return 2;
    }
    Logging::install(config->logLevel, config->logFormat);
    for (const QString& warning : std::as_const(warnings))
        qCWarning(lcApp).noquote() << warning;

    GatewayService service(std::make_shared<const Config>(std::move(*config)));
    MainWindow window(service);
    window.show();
    // Settings that would be ignored (an unknown GATEHOUSE_ variable) are said where the user looks.
    if (!warnings.isEmpty())
        QMessageBox::warning(&window, QObject::tr("Gatehouse"), warnings.join(QLatin1Char('\n')));
    if (auto started = service.start(); !started)
        QMessageBox::warning(&window, QObject::tr("Gatehouse"), started.error().message);
    return app.exec();
}
