#include "TestRegistry.h"
#include "crypto/SecureBytes.h"

#include <QTest>

class TestSecureBytes : public QObject
{
    Q_OBJECT

private slots:
    void holdsACopyOfTheBytes()
    {
        QByteArray source("secret key material");
        const SecureBytes bytes(source);
        source[0] = 'X';
        QCOMPARE(bytes.view(), QByteArrayView("secret key material"));
        QCOMPARE(bytes.size(), 19);
    }

    void sizedConstructorZeroFills()
    {
        const SecureBytes bytes(16);
        QCOMPARE(bytes.view(), QByteArrayView(QByteArray(16, '\0')));
    }

    void copiesAreDeep()
    {
        SecureBytes original(QByteArrayView("abc"));
        const SecureBytes copy = original;
        original.data()[0] = 'z';
        QCOMPARE(copy.view(), QByteArrayView("abc"));
        QVERIFY(copy.data() != original.data());
    }

    void moveLeavesSourceEmpty()
    {
        SecureBytes original(QByteArrayView("abc"));
        const SecureBytes moved = std::move(original);
        QCOMPARE(moved.view(), QByteArrayView("abc"));
        QVERIFY(original.isEmpty()); // NOLINT(bugprone-use-after-move): the moved-from state is the point here
        QCOMPARE(original.data(), nullptr);
    }

    void assignmentReplacesContent()
    {
        SecureBytes target(QByteArrayView("old contents"));
        const SecureBytes source(QByteArrayView("new"));
        target = source;
        QCOMPARE(target.view(), QByteArrayView("new"));
        target = SecureBytes(QByteArrayView("moved in"));
        QCOMPARE(target.view(), QByteArrayView("moved in"));
    }

    void clearEmptiesTheBuffer()
    {
        SecureBytes bytes(QByteArrayView("abc"));
        bytes.clear();
        QVERIFY(bytes.isEmpty());
        QCOMPARE(bytes.view(), QByteArrayView());
    }

    void wipeEmptiesTheByteArray()
    {
        QByteArray secret("0123456789");
        secret.detach();
        SecureBytes::wipe(secret);
        QVERIFY(secret.isEmpty());
    }

    void wipeLeavesOtherOwnersOfASharedByteArrayIntact()
    {
        QByteArray secret("0123456789");
        secret.detach();
        const QByteArray otherOwner = secret;
        SecureBytes::wipe(secret);
        QVERIFY(secret.isEmpty());
        QCOMPARE(otherOwner, QByteArray("0123456789"));
    }
};

GATEHOUSE_TEST_MAIN(TestSecureBytes)
#include "TestSecureBytes.moc"
