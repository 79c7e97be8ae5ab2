#include "pages/NewKeyDialog.h"

#include "pages/Snippets.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

NewKeyDialog::NewKeyDialog(const QString& key, const QString& apiFormat, const QString& proxyUrl, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Your new gateway key"));
    setObjectName(QStringLiteral("newKeyDialog"));
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    auto* warning = new QLabel(tr("Copy the key now: Gatehouse keeps only its hash and cannot show it again."));
    warning->setWordWrap(true);
    auto* field = new QLineEdit(key);
    field->setObjectName(QStringLiteral("newKey"));
    field->setReadOnly(true);
    field->setFont(fixed);
    auto* copy = new QPushButton(tr("Copy"));
    copy->setObjectName(QStringLiteral("copyKey"));
    connect(copy, &QPushButton::clicked, this, [key, copy] {
        QGuiApplication::clipboard()->setText(key);
        copy->setText(tr("Copied"));
    });
    auto* keyRow = new QHBoxLayout;
    keyRow->addWidget(field);
    keyRow->addWidget(copy);

    auto* tabs = new QTabWidget;
    for (const auto& [title, code] : Snippets::forKey(apiFormat, proxyUrl, key)) {
        auto* text = new QPlainTextEdit(code);
        text->setReadOnly(true);
        text->setFont(fixed);
        text->setLineWrapMode(QPlainTextEdit::NoWrap);
        tabs->addTab(text, title);
    }
    auto* copySnippet = new QPushButton(tr("Copy code"));
    connect(copySnippet, &QPushButton::clicked, this, [tabs] {
        if (auto* text = qobject_cast<QPlainTextEdit*>(tabs->currentWidget()))
            QGuiApplication::clipboard()->setText(text->toPlainText());
    });
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(copySnippet, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(warning);
    layout->addLayout(keyRow);
    layout->addWidget(new QLabel(tr("Call the gateway with it:")));
    layout->addWidget(tabs);
    layout->addWidget(buttons);
    resize(640, 420);
}
