#pragma once

#include <QDialog>
#include <QJsonObject>

class AdminClient;
class LoopbackRedirect;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

// Connects a provider account with OAuth (docs/oauth.md): pick an enabled OAuth configuration and a name, sign in
// in the system browser, and the gateway trades the provider's answer for tokens. When the configuration redirects
// to a loopback address this computer catches the answer itself; otherwise, or when its port is taken, the user
// pastes the address the browser ended on. The gateway may be remote: only the browser's part happens here.
class ConnectAccountDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ConnectAccountDialog(AdminClient& client, QWidget* parent = nullptr);

signals:
    void connected(const QJsonObject& session);

private:
    void loadConfigurations();
    void signIn();
    void finish(const QUrl& callbackUrl);
    void setBusy(bool busy);

    AdminClient& m_client;
    LoopbackRedirect* m_redirect;
    QComboBox* m_config;
    QLineEdit* m_name;
    QPushButton* m_signIn;
    QLabel* m_status;
    QLineEdit* m_callback;
    QPushButton* m_finish;
    QLabel* m_error;
    bool m_started = false; // an authorization is open: its answer may be pasted
    bool m_busy = false;    // a request to the gateway is out
};
