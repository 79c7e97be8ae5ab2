#pragma once

#include "TestRegistry.h"

#include <QApplication>

// GATEHOUSE_TEST_MAIN for tests of widgets: the same registry, a QApplication (offscreen in CTest).
#define GATEHOUSE_GUI_TEST_MAIN(TestObject)                                                                            \
    static const bool TestObject##Registered = TestRegistry::add(#TestObject, [](int argc, char** argv) {              \
        QApplication app(argc, argv);                                                                                  \
        QApplication::setApplicationName(QStringLiteral(#TestObject));                                                 \
        TestObject test;                                                                                               \
        return QTest::qExec(&test, argc, argv);                                                                        \
    });
