#include "pages/ProviderTypeDialog.h"

#include "client/AdminClient.h"
#include "pages/PageParts.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTabWidget>
#include <QVBoxLayout>

namespace {

QLineEdit* lineEdit(const QJsonValue& value, const QString& placeholder = {})
{
    auto* edit = new QLineEdit(value.toString());
    edit->setPlaceholderText(placeholder);
    return edit;
}

QPlainTextEdit* textEdit(const QString& text, const QString& placeholder)
{
    auto* edit = new QPlainTextEdit(text);
    edit->setPlaceholderText(placeholder);
    edit->setTabChangesFocus(true);
    edit->setMaximumHeight(96);
    return edit;
}

QString linesOf(const QPlainTextEdit* edit)
{
    return edit->toPlainText().trimmed();
}

} // namespace

ProviderTypeDialog::ProviderTypeDialog(AdminClient& client, const QJsonObject& type, QWidget* parent)
    : QDialog(parent), m_client(client), m_type(type), m_active(new QCheckBox(tr("Serve requests of this type"))),
      m_error(PageParts::errorLabel()), m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("Edit provider type %1").arg(type.value(QLatin1String("name")).toString()));
    setObjectName(QStringLiteral("providerTypeDialog"));
    setMinimumWidth(600);
    auto* basics = new QWidget;
    new QFormLayout(basics);
    auto* advanced = new QWidget;
    new QFormLayout(advanced);

    // Text as it is; an empty optional text is null.
    const auto text = [](QLineEdit* edit, bool nullable) {
        return [edit, nullable](QString*) -> std::optional<QJsonValue> {
            const QString value = edit->text().trimmed();
            return value.isEmpty() && nullable ? QJsonValue() : QJsonValue(value);
        };
    };
    for (const auto& [name, label, nullable] :
         {std::tuple{"displayName", tr("Display name:"), false}, std::tuple{"baseUrl", tr("Base URL:"), false},
          std::tuple{"authHeader", tr("Key header:"), false}, std::tuple{"authTemplate", tr("Key format:"), false},
          std::tuple{"keyQueryParam", tr("Key as query parameter:"), true},
          std::tuple{"probePath", tr("Test path:"), true}}) {
        auto* edit = lineEdit(type.value(QLatin1String(name)));
        addField(basics, QLatin1String(name), label, edit, text(edit, nullable));
    }
    static_cast<QLineEdit*>(m_fields.value(QStringLiteral("authTemplate")).editor)
        ->setPlaceholderText(QStringLiteral("Bearer {key}"));
    static_cast<QLineEdit*>(m_fields.value(QStringLiteral("keyQueryParam")).editor)
        ->setPlaceholderText(tr("none: the key goes in the header"));
    auto* probeMethod = new QComboBox;
    probeMethod->addItems({QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("HEAD")});
    probeMethod->setCurrentText(type.value(QLatin1String("probeMethod")).toString(QStringLiteral("GET")));
    addField(basics, QStringLiteral("probeMethod"), tr("Test method:"), probeMethod,
             [probeMethod](QString*) -> std::optional<QJsonValue> { return QJsonValue(probeMethod->currentText()); });
    m_active->setObjectName(QStringLiteral("active"));
    m_active->setChecked(type.value(QLatin1String("active")).toBool());
    static_cast<QFormLayout*>(basics->layout())->addRow(QString(), m_active);

    // Headers as "Name: value" lines.
    QStringList headerLines;
    const QJsonObject headers = type.value(QLatin1String("defaultHeaders")).toObject();
    for (auto it = headers.begin(); it != headers.end(); ++it)
        headerLines << QStringLiteral("%1: %2").arg(it.key(), it.value().toString());
    auto* defaultHeaders =
        textEdit(headerLines.join(QLatin1Char('\n')), QStringLiteral("anthropic-version: 2023-06-01"));
    addField(advanced, QStringLiteral("defaultHeaders"), tr("Headers sent with every request:"), defaultHeaders,
             [defaultHeaders](QString* problem) -> std::optional<QJsonValue> {
                 QJsonObject object;
                 for (const QString& line : linesOf(defaultHeaders).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
                     const qsizetype colon = line.indexOf(QLatin1Char(':'));
                     if (colon <= 0) {
                         *problem = tr("'defaultHeaders': write one header a line, as Name: value ('%1' is not)")
                                        .arg(line.trimmed());
                         return std::nullopt;
                     }
                     object.insert(line.left(colon).trimmed(), line.mid(colon + 1).trimmed());
                 }
                 return QJsonValue(object);
             });
    // The extraction rules as the JSON objects they are.
    for (const auto& [name, label] : {std::pair{"usagePaths", tr("Where usage is found (JSON):")},
                                      std::pair{"modelPaths", tr("Where the model is found (JSON):")},
                                      std::pair{"streamEventRoots", tr("Stream events and their roots (JSON):")}}) {
        const QJsonObject value = type.value(QLatin1String(name)).toObject();
        auto* edit = textEdit(value.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(value).toJson()).trimmed(),
                              tr("{} : the API format's own"));
        edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        addField(advanced, QLatin1String(name), label, edit,
                 [edit, field = QLatin1String(name)](QString* problem) -> std::optional<QJsonValue> {
                     if (linesOf(edit).isEmpty())
                         return QJsonValue(QJsonObject());
                     QJsonParseError error;
                     const QJsonDocument document = QJsonDocument::fromJson(linesOf(edit).toUtf8(), &error);
                     if (!document.isObject()) {
                         *problem = tr("'%1' must be a JSON object: %2")
                                        .arg(field, error.error == QJsonParseError::NoError ? tr("this is not one")
                                                                                            : error.errorString());
                         return std::nullopt;
                     }
                     return QJsonValue(document.object());
                 });
    }
    // Routes, one a line; none: every path.
    QStringList routes;
    for (const QJsonValue& route : type.value(QLatin1String("allowedRoutes")).toArray())
        routes << route.toString();
    auto* allowedRoutes = textEdit(routes.join(QLatin1Char('\n')), tr("POST /v1/chat/completions (empty: every path)"));
    addField(advanced, QStringLiteral("allowedRoutes"), tr("Paths it forwards:"), allowedRoutes,
             [allowedRoutes](QString*) -> std::optional<QJsonValue> {
                 const QStringList lines = linesOf(allowedRoutes).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
                 if (lines.isEmpty())
                     return QJsonValue();
                 QJsonArray array;
                 for (const QString& line : lines)
                     array.append(line.trimmed());
                 return QJsonValue(array);
             });

    auto* tabs = new QTabWidget;
    tabs->addTab(basics, tr("Basics"));
    tabs->addTab(advanced, tr("Requests and answers"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Save"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ProviderTypeDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ProviderTypeDialog::reject);
}

void ProviderTypeDialog::addField(QWidget* page, const QString& name, const QString& label, QWidget* editor,
                                  std::function<std::optional<QJsonValue>(QString*)> value)
{
    editor->setObjectName(name);
    QLabel* error = PageParts::errorLabel();
    error->setObjectName(name + QStringLiteral("Error"));
    error->hide();
    auto* column = new QVBoxLayout;
    column->setSpacing(2);
    column->addWidget(editor);
    column->addWidget(error);
    static_cast<QFormLayout*>(page->layout())->addRow(label, column);
    m_fields.insert(name, {editor, std::move(value), error});
}

QString ProviderTypeDialog::fieldError(const QString& field) const
{
    const QLabel* label = m_fields.value(field).error;
    return label && !label->isHidden() ? label->text() : QString();
}

void ProviderTypeDialog::accept()
{
    QJsonObject change;
    QStringList problems;
    for (auto it = m_fields.begin(); it != m_fields.end(); ++it) {
        QString problem;
        const std::optional<QJsonValue> value = it->value(&problem);
        if (!value)
            problems << problem;
        else if (*value != m_type.value(it.key()))
            change.insert(it.key(), *value);
    }
    showProblems(problems.join(QStringLiteral("; ")));
    if (!problems.isEmpty())
        return;
    if (m_active->isChecked() != m_type.value(QLatin1String("active")).toBool())
        change.insert(QStringLiteral("active"), m_active->isChecked());
    if (change.isEmpty()) {
        QDialog::accept();
        return;
    }
    m_buttons->setEnabled(false);
    m_client.patch(QStringLiteral("/api/provider-types/%1").arg(m_type.value(QLatin1String("id")).toInteger()), change,
                   this, [this](const ApiResult& result) {
                       m_buttons->setEnabled(true);
                       if (!result.ok()) {
                           showProblems(result.errorText());
                           return;
                       }
                       emit saved(result.object());
                       QDialog::accept();
                   });
}

// The server lists its objections separated by "; ", each naming its field in quotes ('usagePaths.input' names
// usagePaths).
void ProviderTypeDialog::showProblems(const QString& message)
{
    for (const Field& field : std::as_const(m_fields))
        field.error->hide();
    QStringList general;
    static const QRegularExpression named(QStringLiteral("^'([A-Za-z]+)[.']"));
    for (const QString& problem : message.split(QStringLiteral("; "), Qt::SkipEmptyParts)) {
        const QRegularExpressionMatch match = named.match(problem);
        if (QLabel* label = match.hasMatch() ? m_fields.value(match.captured(1)).error : nullptr) {
            label->setText(problem);
            label->show();
        } else {
            general << problem;
        }
    }
    m_error->setText(general.join(QLatin1Char('\n')));
}
