#pragma once

#include "local/DesktopSettings.h"

#include <QDialog>

class AdminClient;
class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

// Connects to a gateway elsewhere: the URL of its admin API, a user and password. It signs in with a client of its
// own and hands the session to the app's client once it succeeded; the server's refusal (or no answer) is shown and
// the dialog stays open. A certificate the system does not trust can be trusted (pinned) after comparing its
// fingerprint; plain http to another machine needs the user's consent.
class ConnectDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ConnectDialog(AdminClient& client, QWidget* parent = nullptr);

    void accept() override;

signals:
    // Signed in at `connection`; the client now manages that gateway.
    void connected(const RemoteConnection& connection);

private:
    void offerToTrust(const QByteArray& certificate);

    AdminClient& m_client;
    QLineEdit* m_url;
    QLineEdit* m_username;
    QLineEdit* m_password;
    QCheckBox* m_trust;     // shown when the gateway's certificate is not trusted by the system
    QCheckBox* m_inClear;   // shown when the address is http to another machine
    QByteArray m_presented; // the untrusted certificate's SHA-256 digest, hex
    QLabel* m_error;
    QDialogButtonBox* m_buttons;
};
