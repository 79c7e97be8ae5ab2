#pragma once

#include <QDialog>
#include <QJsonObject>

class AdminClient;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

// Adds a provider key: its provider, a name, the secret (masked unless shown) and a weight. The server checks the
// fields; its refusal is shown in the dialog, which stays open.
class ProviderKeyDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ProviderKeyDialog(AdminClient& client, QWidget* parent = nullptr);

    void accept() override;

signals:
    void created(const QJsonObject& key);

private:
    AdminClient& m_client;
    QComboBox* m_type;
    QLineEdit* m_name;
    QLineEdit* m_secret;
    QSpinBox* m_weight;
    QLabel* m_error;
    QDialogButtonBox* m_buttons;
};
