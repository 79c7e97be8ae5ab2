#pragma once

#include <QDialog>
#include <QJsonObject>

class AdminClient;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;

// Creates a gateway key: a name, the provider type, the pool of that type's provider keys it may use, the strategy
// that picks among them and an optional requests-per-minute limit. The server's refusal is shown in the dialog.
class GatewayKeyDialog : public QDialog
{
    Q_OBJECT

public:
    explicit GatewayKeyDialog(AdminClient& client, QWidget* parent = nullptr);

    void accept() override;

signals:
    // The new key with its full secret in "key", shown this once.
    void created(const QJsonObject& key, const QString& apiFormat);

private:
    void loadPool();

    AdminClient& m_client;
    QLineEdit* m_name;
    QComboBox* m_type;
    QListWidget* m_pool;
    QComboBox* m_strategy;
    QSpinBox* m_rpm;
    QLabel* m_error;
    QDialogButtonBox* m_buttons;
};
