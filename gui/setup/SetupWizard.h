#pragma once

#include <QWizard>

class DesktopSettings;
class QCheckBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QRadioButton;
class QSpinBox;

// The first run: where the gateway keeps its data, its ports (on loopback), the admin password the user chooses,
// and where the master key is kept. On accept the choices are in DesktopSettings and password() holds the admin
// password for the gateway's first start (it is never stored by the app).
class SetupWizard : public QWizard
{
    Q_OBJECT

public:
    explicit SetupWizard(DesktopSettings& settings, QWidget* parent = nullptr);

    QString password() const;
    void accept() override;

    // 0..4: too short, weak, fair, good, strong; a rough estimate from length and character classes.
    static int passwordStrength(const QString& password);

private:
    DesktopSettings& m_settings;
    QLineEdit* m_dataDir;
    QSpinBox* m_proxyPort;
    QSpinBox* m_adminPort;
    QLineEdit* m_password;
    QLineEdit* m_confirm;
    QProgressBar* m_strength;
    QLabel* m_strengthText;
    QRadioButton* m_keychain;
    QRadioButton* m_keyFile;
};
