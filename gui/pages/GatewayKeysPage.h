#pragma once

#include <QJsonObject>
#include <QUrl>
#include <QWidget>

class AdminClient;
class JsonTableModel;
class QLabel;
class QPushButton;
class QTableView;

// The gateway keys applications use: create one (then shown once, with code to paste), regenerate, enable or
// disable, delete.
class GatewayKeysPage : public QWidget
{
    Q_OBJECT

public:
    explicit GatewayKeysPage(AdminClient& client, QWidget* parent = nullptr);

    void setProxyUrl(const QUrl& url) { m_proxyUrl = url; }
    void reload();
    JsonTableModel& model() { return *m_model; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    void create();
    void regenerate();
    void toggleEnabled();
    void removeSelected();
    void showNewKey(const QJsonObject& key, const QString& apiFormat);
    QJsonObject selected() const;
    void updateButtons();
    void showMessage(const QString& text, bool error = false);

    AdminClient& m_client;
    QUrl m_proxyUrl;
    JsonTableModel* m_model;
    QHash<qint64, QString> m_formats; // provider type id -> apiFormat, for the snippets
    QTableView* m_table;
    QPushButton* m_regenerate;
    QPushButton* m_toggle;
    QPushButton* m_remove;
    QLabel* m_message;
};
