#include "app/DesktopApp.h"
#include "app/MainWindow.h"
#include "app/SingleInstance.h"
#include "local/Appearance.h"
#include "local/DesktopSettings.h"

#include "config/ConfigLoader.h"

#include <QApplication>
#include <QDir>
#include <QIcon>
#include <QMessageBox>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("gatehouse"));
    QApplication::setApplicationVersion(QStringLiteral(GATEHOUSE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("gatehouse"));
    QApplication::setQuitOnLastWindowClosed(true);
    QIcon icon;
    for (const QString& file : QDir(QStringLiteral(":/icons")).entryList())
        icon.addFile(QStringLiteral(":/icons/") + file);
    QApplication::setWindowIcon(icon);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Gatehouse AI API gateway, desktop app."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption minimized(QStringLiteral("minimized"),
                                       QStringLiteral("Start in the tray, without the window (as at login)."));
    parser.addOption(minimized);
    ConfigLoader::addOptions(parser);
    parser.process(app);

    // The desktop's gateway listens on loopback only, keeps its data in the user's data location and its master key
    // in the keychain (the user chose in the wizard); the command line and GATEHOUSE_ variables still apply on top.
    QStringList warnings;
    const auto makeConfig = [&parser, &warnings](const DesktopSettings& settings) {
        Config defaults;
        defaults.dataDir = settings.dataDir();
        defaults.proxy = {QHostAddress(QHostAddress::LocalHost), settings.proxyPort()};
        defaults.admin = {QHostAddress(QHostAddress::LocalHost), settings.adminPort()};
        defaults.adminOnProxyPort = false;
        defaults.allowKeychain = settings.useKeychain();
        warnings.clear();
        return ConfigLoader::load(parser, QProcessEnvironment::systemEnvironment(), std::move(defaults), &warnings);
    };

    // A second launch shows the first one's window instead.
    SingleInstance instance(QStringLiteral("gatehouse-") + qEnvironmentVariable("USER", QStringLiteral("user")));
    if (!instance.claim())
        return 0;

    DesktopSettings settings;
    // The language chosen in Settings, else the system's where translations/ has it, else English; the colours too.
    Appearance::setLanguage(settings.language());
    Appearance::setTheme(settings.theme());
    auto config = makeConfig(settings);
    if (!config) {
        QMessageBox::critical(nullptr, QObject::tr("Gatehouse"), config.error().message);
        return 2;
    }
    Logging::install(config->logLevel, config->logFormat);
    for (const QString& warning : std::as_const(warnings))
        qCWarning(lcApp).noquote() << warning;

    DesktopApp desktop(settings, makeConfig);
    QObject::connect(&instance, &SingleInstance::activationRequested, &desktop.window(), [&desktop] {
        desktop.window().showNormal();
        desktop.window().raise();
        desktop.window().activateWindow();
    });
    desktop.start(parser.isSet(minimized) || settings.startMinimized());
    // Settings that would be ignored (an unknown GATEHOUSE_ variable) are said where the user looks.
    if (!warnings.isEmpty())
        QMessageBox::warning(&desktop.window(), QObject::tr("Gatehouse"), warnings.join(QLatin1Char('\n')));
    return app.exec();
}
