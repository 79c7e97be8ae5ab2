#pragma once

#include <QDialog>
#include <QHash>
#include <QJsonObject>

class AdminClient;
class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

// Edits a provider type's display name, base URL, authentication header and template, probe path and whether it is
// active. Only changed fields are sent; each of the server's objections ("'baseUrl' must …") is shown under the
// field it names, the rest above the buttons.
class ProviderTypeDialog : public QDialog
{
    Q_OBJECT

public:
    ProviderTypeDialog(AdminClient& client, const QJsonObject& type, QWidget* parent = nullptr);

    void accept() override;
    // The objection shown at `field` (an API field name), empty when none.
    QString fieldError(const QString& field) const;

signals:
    void saved(const QJsonObject& type);

private:
    void showProblems(const QString& message);

    AdminClient& m_client;
    const QJsonObject m_type;
    QHash<QString, QLineEdit*> m_fields;   // API field name -> editor
    QHash<QString, QLabel*> m_fieldErrors; // API field name -> its objection
    QCheckBox* m_active;
    QLabel* m_error;
    QDialogButtonBox* m_buttons;
};
