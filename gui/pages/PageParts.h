#pragma once

#include <QJsonValue>
#include <QString>

#include <functional>

class AdminClient;
class JsonTableModel;
class QAbstractItemModel;
class QComboBox;
class QJsonObject;
class QLabel;
class QObject;
class QTableView;
class QWidget;

// Small parts the pages and their dialogs share.
namespace PageParts {

// A word-wrapped label for the server's refusals, in the error colour.
QLabel* errorLabel();
// Shows `text` in a page's message line, in the error colour when `error`.
void showMessage(QLabel* line, const QString& text, bool error = false);
// Clears the message line when it shows an error (a later answer succeeded); a confirmation stays.
void clearError(QLabel* line);

// A list of rows, one selectable at a time, columns sized to their contents; `name` for tests, `spokenName` for
// screen readers.
QTableView* listTable(QAbstractItemModel* model, const QString& name, const QString& spokenName);
// The selected row of such a list, empty when none is.
QJsonObject selectedRow(const QTableView* table, const JsonTableModel& model);

// Asks before something that cannot be undone; `confirmed` runs only when the user chose `action`.
void confirm(QWidget* parent, const QString& title, const QString& text, const QString& action,
             std::function<void()> confirmed);

// Fills `box` with the active provider types (item data: {id, apiFormat}); then `done` runs, with the server's
// refusal or an empty string.
void loadProviderTypes(AdminClient& client, QComboBox* box, std::function<void(const QString& error)> done);

} // namespace PageParts
