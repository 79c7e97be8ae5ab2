#pragma once

#include <QDialog>
#include <QJsonObject>

class AdminClient;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

// Adds a provider key (its provider, a name, the secret masked unless shown, a weight) or edits one: then the
// provider is fixed and an empty secret keeps the stored one. The server checks the fields; its refusal is shown in
// the dialog, which stays open.
class ProviderKeyDialog : public QDialog
{
    Q_OBJECT

public:
    // `existing`: the key to edit, as the API lists it; empty to add one.
    ProviderKeyDialog(AdminClient& client, const QJsonObject& existing, QWidget* parent = nullptr);

    void accept() override;

signals:
    void saved(const QJsonObject& key);

private:
    AdminClient& m_client;
    const qint64 m_id; // 0 when adding
    QComboBox* m_type;
    QLineEdit* m_name;
    QLineEdit* m_secret;
    QSpinBox* m_weight;
    QLabel* m_error;
    QDialogButtonBox* m_buttons;
};
