#include "local/SessionStore.h"

#include "common/Logging.h"

#include <qt6keychain/keychain.h>

namespace {

const QString kService = QStringLiteral("gatehouse");
// Keychain jobs get no parent: each deletes itself once the keychain answers. A job deleted earlier, with its owner
// (an app closed, a window replaced), is still called by libsecret when the answer comes, into freed memory.

} // namespace

void SessionStore::load(const QString& account, std::function<void(const QString&)> done)
{
    auto* job = new QKeychain::ReadPasswordJob(kService);
    job->setKey(account);
    connect(job, &QKeychain::Job::finished, this,
            [job, done = std::move(done)] { done(job->error() == QKeychain::NoError ? job->textData() : QString()); });
    job->start();
}

void SessionStore::save(const QString& account, const QString& refreshToken)
{
    QKeychain::Job* job = nullptr;
    if (refreshToken.isEmpty()) {
        job = new QKeychain::DeletePasswordJob(kService);
    } else {
        auto* write = new QKeychain::WritePasswordJob(kService);
        write->setTextData(refreshToken);
        job = write;
    }
    job->setKey(account);
    connect(job, &QKeychain::Job::finished, this, [job] {
        if (job->error() != QKeychain::NoError && job->error() != QKeychain::EntryNotFound)
            qCWarning(lcApp).noquote() << "the session could not be kept in the keychain:" << job->errorString();
    });
    job->start();
}
