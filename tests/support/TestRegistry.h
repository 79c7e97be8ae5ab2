#pragma once

#include <QCoreApplication>
#include <QTest>

// The tests of one kind (unit, integration) are one executable; each test class registers itself with
// GATEHOUSE_TEST_MAIN(TestFoo) where a Qt Test would say QTEST_GUILESS_MAIN(TestFoo), and the executable runs the
// class its first argument names, in a process of its own as before:
//     build/tests/unit_tests TestDigest [Qt Test options and test functions]
// One link per kind instead of one per class is most of what a rebuild of the tests costs.
class TestRegistry
{
public:
    using Run = int (*)(int argc, char** argv);

    static bool add(const char* testClass, Run run);
    // main(): runs the class named by argv[1] with the arguments after it; lists the classes when none matches.
    static int main(int argc, char** argv);
};

#define GATEHOUSE_TEST_MAIN(TestObject)                                                                                \
    static const bool TestObject##Registered = TestRegistry::add(#TestObject, [](int argc, char** argv) {              \
        QCoreApplication app(argc, argv);                                                                              \
        QCoreApplication::setApplicationName(QStringLiteral(#TestObject));                                             \
        TestObject test;                                                                                               \
        return QTest::qExec(&test, argc, argv);                                                                        \
    });
