#include "local/KeychainMasterKey.h"

#include "common/Logging.h"
#include "crypto/MasterKey.h"
#include "crypto/Random.h"

#include <QDir>
#include <QFileInfo>

#include <qt6keychain/keychain.h>

namespace {

const QString kService = QStringLiteral("gatehouse");
// Keychain jobs get no parent: each deletes itself once the keychain answers. A job deleted earlier, with its owner
// (an app closed, a window replaced), is still called by libsecret when the answer comes, into freed memory.

} // namespace

void KeychainMasterKey::fetch(const QString& dataDir, std::function<void(const QString&, bool)> done)
{
    const QDir dir(dataDir);
    if (QFileInfo::exists(dir.filePath(QStringLiteral("master.key")))) {
        done({}, false);
        return;
    }
    auto* job = new QKeychain::ReadPasswordJob(kService);
    job->setKey(QLatin1String(MasterKey::kKeychainKey));
    connect(job, &QKeychain::Job::finished, this, [this, job, dir, done = std::move(done)] {
        if (job->error() == QKeychain::NoError) {
            done(job->textData(), true);
        } else if (job->error() == QKeychain::EntryNotFound && !dir.exists(QStringLiteral("gatehouse.db"))) {
            create(done);
        } else {
            if (job->error() != QKeychain::EntryNotFound)
                qCInfo(lcCrypto).noquote() << "OS keychain unavailable:" << job->errorString();
            done({}, false);
        }
    });
    job->start();
}

void KeychainMasterKey::create(std::function<void(const QString&, bool)> done)
{
    const SecureBytes key = Random::secureBytes(MasterKey::kSize);
    const QString text = QString::fromLatin1(QByteArray::fromRawData(key.data(), key.size()).toBase64());
    auto* job = new QKeychain::WritePasswordJob(kService);
    job->setKey(QLatin1String(MasterKey::kKeychainKey));
    job->setTextData(text);
    connect(job, &QKeychain::Job::finished, this, [job, text, done = std::move(done)] {
        if (job->error() == QKeychain::NoError) {
            done(text, true);
            return;
        }
        qCWarning(lcCrypto).noquote() << "cannot store the master key in the OS keychain:" << job->errorString();
        done({}, false);
    });
    job->start();
}
