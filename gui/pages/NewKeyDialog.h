#pragma once

#include <QDialog>

// A new gateway key, shown this once: the key with a Copy button and code to call the gateway with it.
class NewKeyDialog : public QDialog
{
    Q_OBJECT

public:
    NewKeyDialog(const QString& key, const QString& apiFormat, const QString& proxyUrl, QWidget* parent = nullptr);
};
