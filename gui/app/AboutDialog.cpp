#include "app/AboutDialog.h"

#include "local/DesktopSettings.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>

#include <openssl/opensslv.h>

AboutDialog::AboutDialog(const DesktopSettings& settings, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("About Gatehouse"));
    setObjectName(QStringLiteral("aboutDialog"));
    auto* text = new QLabel(
        tr("<h3>Gatehouse %1</h3>"
           "<p>A self-hosted gateway for the OpenAI, Anthropic and Gemini APIs.</p>"
           "<p><b>Data folder:</b> %2<br><b>Settings:</b> %3</p>"
           "<p><b>Built with</b> Qt %4 (LGPL-3.0), QtKeychain (BSD-3-Clause), %5 (Apache-2.0), hiredis (BSD-3-Clause), "
           "llhttp (MIT), SQLite (public domain).</p>")
            .arg(QStringLiteral(GATEHOUSE_VERSION), settings.dataDir().toHtmlEscaped(),
                 settings.fileName().toHtmlEscaped(), QString::fromLatin1(qVersion()),
                 QStringLiteral(OPENSSL_VERSION_TEXT).section(QLatin1Char(' '), 0, 1)));
    text->setObjectName(QStringLiteral("aboutText"));
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    text->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::accept);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(buttons);
    setMinimumWidth(480);
}
