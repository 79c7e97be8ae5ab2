#pragma once

#include <QDialog>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>

#include <functional>
#include <optional>

class AdminClient;
class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QWidget;

// Edits a provider type: on the first tab its display name, base URL, how the key is sent (header and format, or a
// query parameter), how it is tested and whether it is active; on the second the headers sent with every request,
// where usage and the model are found in requests, answers and stream events, and the paths it forwards. Only
// changed fields are sent; each of the server's objections ("'baseUrl' must …") is shown under the field it names,
// the rest above the buttons. Input that is not even well formed (JSON, "Name: value") is caught here first.
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
    struct Field
    {
        QWidget* editor = nullptr;
        // The editor's value as the API wants it, or nothing with `problem` set.
        std::function<std::optional<QJsonValue>(QString* problem)> value;
        QLabel* error = nullptr;
    };

    void addField(QWidget* page, const QString& name, const QString& label, QWidget* editor,
                  std::function<std::optional<QJsonValue>(QString*)> value);
    void showProblems(const QString& message);

    AdminClient& m_client;
    const QJsonObject m_type;
    QHash<QString, Field> m_fields; // by API field name
    QCheckBox* m_active;
    QLabel* m_error;
    QDialogButtonBox* m_buttons;
};
