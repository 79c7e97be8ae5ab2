#pragma once

#include <QDialog>

class AdminClient;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

// Signs in to the gateway when no saved session works. A refusal (wrong password, locked out) is shown and the
// dialog stays open.
class SignInDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SignInDialog(AdminClient& client, QWidget* parent = nullptr);

    void accept() override;

private:
    AdminClient& m_client;
    QLineEdit* m_username;
    QLineEdit* m_password;
    QLabel* m_error;
    QDialogButtonBox* m_buttons;
};
