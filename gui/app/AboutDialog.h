#pragma once

#include <QDialog>

class DesktopSettings;

// Versions, where the app keeps its things, and the libraries it is built on with their licences.
class AboutDialog : public QDialog
{
    Q_OBJECT

public:
    AboutDialog(const DesktopSettings& settings, QWidget* parent = nullptr);
};
