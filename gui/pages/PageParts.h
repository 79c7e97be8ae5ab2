#pragma once

#include <QJsonValue>
#include <QString>

#include <functional>

class AdminClient;
class QComboBox;
class QLabel;
class QObject;
class QWidget;

// Small parts the pages and their dialogs share.
namespace PageParts {

// A word-wrapped label for the server's refusals, in the error colour.
QLabel* errorLabel();

// Asks before something that cannot be undone; `confirmed` runs only when the user chose `action`.
void confirm(QWidget* parent, const QString& title, const QString& text, const QString& action,
             std::function<void()> confirmed);

// Fills `box` with the active provider types (item data: {id, apiFormat}); then `done` runs, with the server's
// refusal or an empty string.
void loadProviderTypes(AdminClient& client, QComboBox* box, std::function<void(const QString& error)> done);

} // namespace PageParts
