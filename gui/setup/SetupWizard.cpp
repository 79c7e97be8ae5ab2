#include "setup/SetupWizard.h"

#include "crypto/PasswordHasher.h"
#include "local/DesktopSettings.h"

#include <QButtonGroup>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

namespace {

// A page whose Next button waits for `complete`.
class CheckedPage : public QWizardPage
{
public:
    std::function<bool()> complete = [] { return true; };
    bool isComplete() const override { return complete(); }
    void changed() { emit completeChanged(); }
};

QLabel* note(const QString& text)
{
    auto* label = new QLabel(text);
    label->setWordWrap(true);
    return label;
}

} // namespace

SetupWizard::SetupWizard(DesktopSettings& settings, QWidget* parent)
    : QWizard(parent), m_settings(settings), m_dataDir(new QLineEdit(settings.dataDir())), m_proxyPort(new QSpinBox),
      m_adminPort(new QSpinBox), m_password(new QLineEdit), m_confirm(new QLineEdit), m_strength(new QProgressBar),
      m_strengthText(new QLabel), m_keychain(new QRadioButton(tr("In the system keychain (recommended)"))),
      m_keyFile(new QRadioButton(tr("In a key file in the data folder, readable only by you")))
{
    setWindowTitle(tr("Set up Gatehouse"));
    setObjectName(QStringLiteral("setupWizard"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage);

    // 1. Where and on which ports.
    auto* place = new CheckedPage;
    place->setTitle(tr("Your local gateway"));
    place->setSubTitle(tr("Gatehouse runs a gateway on this computer. Your applications call it instead of the "
                          "providers, with keys that Gatehouse issues."));
    m_dataDir->setObjectName(QStringLiteral("dataDir"));
    auto* browse = new QPushButton(tr("Choose…"));
    connect(browse, &QPushButton::clicked, this, [this] {
        auto* dialog = new QFileDialog(this, tr("Data folder"), m_dataDir->text());
        dialog->setFileMode(QFileDialog::Directory);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::fileSelected, m_dataDir, &QLineEdit::setText);
        dialog->open();
    });
    auto* dirRow = new QHBoxLayout;
    dirRow->addWidget(m_dataDir);
    dirRow->addWidget(browse);
    for (QSpinBox* port : {m_proxyPort, m_adminPort})
        port->setRange(1, 65535);
    m_proxyPort->setObjectName(QStringLiteral("proxyPort"));
    m_adminPort->setObjectName(QStringLiteral("adminPort"));
    m_proxyPort->setValue(settings.proxyPort());
    m_adminPort->setValue(settings.adminPort());
    auto* placeForm = new QFormLayout(place);
    placeForm->addRow(tr("Data folder:"), dirRow);
    placeForm->addRow(tr("Gateway port:"), m_proxyPort);
    placeForm->addRow(tr("Admin port:"), m_adminPort);
    placeForm->addRow(note(tr("Both listen on 127.0.0.1 only: nothing on your network can reach them.")));
    place->complete = [this] {
        return !m_dataDir->text().trimmed().isEmpty() && m_proxyPort->value() != m_adminPort->value();
    };
    connect(m_dataDir, &QLineEdit::textChanged, place, &CheckedPage::changed);
    connect(m_proxyPort, &QSpinBox::valueChanged, place, &CheckedPage::changed);
    connect(m_adminPort, &QSpinBox::valueChanged, place, &CheckedPage::changed);
    addPage(place);

    // 2. The admin password.
    auto* secret = new CheckedPage;
    secret->setTitle(tr("Admin password"));
    secret->setSubTitle(tr("It protects the gateway's settings and your keys. Gatehouse signs you in by itself on "
                           "this computer; you need the password to sign in from elsewhere."));
    for (QLineEdit* field : {m_password, m_confirm})
        field->setEchoMode(QLineEdit::Password);
    m_password->setObjectName(QStringLiteral("password"));
    m_confirm->setObjectName(QStringLiteral("confirmPassword"));
    m_strength->setRange(0, 4);
    m_strength->setTextVisible(false);
    m_strength->setAccessibleName(tr("Password strength"));
    auto* secretForm = new QFormLayout(secret);
    secretForm->addRow(tr("User name:"), new QLabel(QStringLiteral("admin")));
    secretForm->addRow(tr("Password:"), m_password);
    secretForm->addRow(tr("Confirm:"), m_confirm);
    secretForm->addRow(tr("Strength:"), m_strength);
    secretForm->addRow(QString(), m_strengthText);
    const auto update = [this, secret] {
        const QString password = m_password->text();
        const int strength = passwordStrength(password);
        m_strength->setValue(strength);
        static const char* const colours[] = {"#c62828", "#c62828", "#ef6c00", "#2e7d32", "#1b5e20"};
        m_strength->setStyleSheet(
            QStringLiteral("QProgressBar::chunk { background: %1; }").arg(QLatin1String(colours[strength])));
        const QStringList words{tr("Too short: at least %1 characters").arg(PasswordHasher::kMinLength), tr("Weak"),
                                tr("Fair"), tr("Good"), tr("Strong")};
        QString text = password.isEmpty() ? QString() : words.at(strength);
        if (!m_confirm->text().isEmpty() && m_confirm->text() != password)
            text = tr("The two passwords differ.");
        m_strengthText->setText(text);
        secret->changed();
    };
    connect(m_password, &QLineEdit::textChanged, this, update);
    connect(m_confirm, &QLineEdit::textChanged, this, update);
    secret->complete = [this] {
        return PasswordHasher::checkPolicy(m_password->text()).ok() && m_password->text() == m_confirm->text();
    };
    addPage(secret);

    // 3. The master key.
    auto* key = new QWizardPage;
    key->setTitle(tr("Master key"));
    key->setSubTitle(tr("Provider keys are stored encrypted under a master key that Gatehouse creates now."));
    m_keychain->setObjectName(QStringLiteral("keychain"));
    m_keyFile->setObjectName(QStringLiteral("keyFile"));
    auto* group = new QButtonGroup(key);
    group->addButton(m_keychain);
    group->addButton(m_keyFile);
    (settings.useKeychain() ? m_keychain : m_keyFile)->setChecked(true);
    auto* keyLayout = new QVBoxLayout(key);
    keyLayout->addWidget(m_keychain);
    keyLayout->addWidget(m_keyFile);
    keyLayout->addWidget(note(tr("If the keychain does not answer, Gatehouse keeps the key in the file instead and "
                                 "says so. Whoever has the key and the data folder can read your provider keys: keep "
                                 "backups of both, apart.")));
    keyLayout->addStretch();
    addPage(key);
}

QString SetupWizard::password() const
{
    return m_password->text();
}

void SetupWizard::accept()
{
    m_settings.setDataDir(m_dataDir->text().trimmed());
    m_settings.setProxyPort(quint16(m_proxyPort->value()));
    m_settings.setAdminPort(quint16(m_adminPort->value()));
    m_settings.setUseKeychain(m_keychain->isChecked());
    QWizard::accept();
}

int SetupWizard::passwordStrength(const QString& password)
{
    if (!PasswordHasher::checkPolicy(password).ok())
        return 0;
    int classes = 0;
    for (const char* pattern : {"[a-z]", "[A-Z]", "[0-9]", "[^a-zA-Z0-9]"})
        classes += password.contains(QRegularExpression(QLatin1String(pattern))) ? 1 : 0;
    const qsizetype length = password.size();
    if (length >= 20 || (length >= 14 && classes >= 3))
        return 4;
    if (length >= 14 || (length >= 11 && classes >= 3))
        return 3;
    if (length >= 11 || classes >= 3)
        return 2;
    return 1;
}
