#include "pages/PageParts.h"

#include "client/AdminClient.h"

#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>

namespace PageParts {

QLabel* errorLabel()
{
    auto* label = new QLabel;
    label->setObjectName(QStringLiteral("dialogError"));
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #b00020"));
    return label;
}

void confirm(QWidget* parent, const QString& title, const QString& text, const QString& action,
             std::function<void()> confirmed)
{
    auto* box = new QMessageBox(QMessageBox::Question, title, text, QMessageBox::Cancel, parent);
    QPushButton* yes = box->addButton(action, QMessageBox::DestructiveRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::buttonClicked, box,
                     [yes, confirmed = std::move(confirmed)](QAbstractButton* button) {
                         if (button == yes)
                             confirmed();
                     });
    box->open();
}

void loadProviderTypes(AdminClient& client, QComboBox* box, std::function<void(const QString&)> done)
{
    client.get(QStringLiteral("/api/provider-types"), QUrlQuery{{QStringLiteral("active"), QStringLiteral("true")}},
               box, [box, done = std::move(done)](const ApiResult& result) {
                   if (!result.ok()) {
                       done(result.errorText());
                       return;
                   }
                   for (const QJsonValue& type : result.object().value(QLatin1String("items")).toArray())
                       box->addItem(type[QLatin1String("displayName")].toString(),
                                    QVariantList{type[QLatin1String("id")].toInteger(),
                                                 type[QLatin1String("apiFormat")].toString()});
                   done({});
               });
}

} // namespace PageParts
