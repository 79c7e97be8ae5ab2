#pragma once

#include <QWidget>

class AdminClient;
class DesktopSettings;
class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;

// Settings: the app's own (language and colours, applied at once; starting at login; starting in the tray), and
// the managed gateway's server settings as it reports them to those who manage the server (read-only: they live
// in the server's configuration).
class SettingsPage : public QWidget
{
    Q_OBJECT

public:
    SettingsPage(AdminClient& client, DesktopSettings& settings, QWidget* parent = nullptr);

    void reload();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void showServerSettings(const QJsonObject& info); // GET /api/system/info

    AdminClient& m_client;
    DesktopSettings& m_settings;
    QComboBox* m_language;
    QComboBox* m_theme;
    QCheckBox* m_startAtLogin;
    QCheckBox* m_startMinimized;
    QLabel* m_message;
    QFormLayout* m_server;
    QLabel* m_serverNote;
};
