#pragma once

#include <QMainWindow>

class GatewayService;
class QLabel;
class QPushButton;

// Shows whether the in-process gateway runs, where it listens and where its data lives; starts and stops it.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(GatewayService& service, QWidget* parent = nullptr);

private:
    void toggle();
    void refresh();

    GatewayService& m_service;
    QLabel* m_status;
    QLabel* m_proxyUrl;
    QLabel* m_adminUrl;
    QLabel* m_database;
    QLabel* m_error;
    QPushButton* m_toggle;
};
