#include "TestRegistry.h"

#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

// The folders of core/ include one another only downwards, by the layer table of docs/architecture.md: the table is
// the rule, this test the check, so neither can drift from the other.
class TestLayering : public QObject
{
    Q_OBJECT

private:
    static QString sourceDir() { return qEnvironmentVariable("GATEHOUSE_SOURCE_DIR"); }

    // folder -> level, from the rows "| 3 | `storage`, `cache`, `http` |".
    static QHash<QString, int> levels()
    {
        QFile document(sourceDir() + QStringLiteral("/docs/architecture.md"));
        if (!document.open(QIODevice::ReadOnly))
            return {};
        static const QRegularExpression row(QStringLiteral("^\\| (\\d+) \\| (`[a-z]+`(?:, `[a-z]+`)*) \\|$"));
        static const QRegularExpression folder(QStringLiteral("`([a-z]+)`"));
        QHash<QString, int> levels;
        for (const QString& line : QString::fromUtf8(document.readAll()).split(u'\n')) {
            const auto match = row.match(line);
            if (!match.hasMatch())
                continue;
            for (auto it = folder.globalMatch(match.captured(2)); it.hasNext();)
                levels.insert(it.next().captured(1), match.captured(1).toInt());
        }
        return levels;
    }

    struct Include
    {
        QString file;
        QString from;
        QString to;
    };

    // Every #include "folder/..." in core/ that names another folder of core/.
    static QList<Include> includes(const QSet<QString>& folders)
    {
        static const QRegularExpression include(QStringLiteral("^#include \"([a-z]+)/"));
        QList<Include> found;
        const QString core = sourceDir() + QStringLiteral("/core/");
        QDirIterator it(core, {QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QString file = path.mid(core.size());
            const QString from = file.section(u'/', 0, 0);
            QFile source(path);
            if (!source.open(QIODevice::ReadOnly))
                continue;
            for (const QString& line : QString::fromUtf8(source.readAll()).split(u'\n')) {
                const auto match = include.match(line);
                if (match.hasMatch() && match.captured(1) != from && folders.contains(match.captured(1)))
                    found.append({file, from, match.captured(1)});
            }
        }
        return found;
    }

    static QSet<QString> coreFolders()
    {
        const QDir core(sourceDir() + QStringLiteral("/core"));
        const QStringList names = core.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        return {names.begin(), names.end()};
    }

private slots:
    void everyFolderHasALevel()
    {
        const QHash<QString, int> table = levels();
        QVERIFY2(!table.isEmpty(), "docs/architecture.md has no layer table");
        for (const QString& folder : coreFolders())
            QVERIFY2(table.contains(folder),
                     qPrintable(QStringLiteral("core/%1 is not in the layer table").arg(folder)));
        for (const QString& folder : table.keys())
            QVERIFY2(coreFolders().contains(folder),
                     qPrintable(QStringLiteral("the layer table names core/%1, which does not exist").arg(folder)));
    }

    void foldersIncludeOnlyLowerLevels()
    {
        const QHash<QString, int> table = levels();
        const QList<Include> found = includes(coreFolders());
        QVERIFY(found.size() > 100); // the scan found the sources
        QStringList upward;
        for (const Include& include : found) {
            if (table.value(include.from, -1) <= table.value(include.to, -1))
                upward << QStringLiteral("%1 includes %2/ (level %3 -> %4)")
                              .arg(include.file, include.to)
                              .arg(table.value(include.from))
                              .arg(table.value(include.to));
        }
        QVERIFY2(upward.isEmpty(), qPrintable(upward.join(u'\n')));
    }
};

GATEHOUSE_TEST_MAIN(TestLayering)
#include "TestLayering.moc"
