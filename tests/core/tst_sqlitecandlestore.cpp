// SQLite-only open errors (STORE-3, STORE-4): each bad store names the file and changes nothing.
#include "core/store/candlestore.h"

#include <QFile>
#include <QHostInfo>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using store::CandleStore;
using store::StoreUrl;

namespace {

StoreUrl fileUrl(const QString &path)
{
    StoreUrl url;
    url.path = path;
    return url;
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestSqliteCandleStore final : public QObject
{
    Q_OBJECT

private slots:
    void secondWriterIsRefused();
    void lockIsReleasedOnClose();
    void readOnlyFileIsRefused();
    void notADatabaseIsRefused();
    void missingDirectoryIsRefused();
    void readOnlyOpenNeedsExistingFile();
    void readOnlyOpenSkipsLock();
    void usesWalAndPrivateModes();

private:
    QTemporaryDir m_dir;
};

void TestSqliteCandleStore::secondWriterIsRefused()
{
    const QString path = m_dir.filePath(u"two.db"_s);
    auto first = CandleStore::open(fileUrl(path), {});
    QVERIFY(first.ok());
    auto second = CandleStore::open(fileUrl(path), {});
    QVERIFY(!second.ok());
    QCOMPARE(second.error().code, ErrorCode::Conflict);
    const QString expected = u"%1: in use by pid %2 on %3; expected no other gapless writer on this file"_s.arg(
        path, QString::number(QCoreApplication::applicationPid()), QHostInfo::localHostName());
    QCOMPARE(second.error().message, expected);
}

void TestSqliteCandleStore::lockIsReleasedOnClose()
{
    const QString path = m_dir.filePath(u"reopen.db"_s);
    {
        auto first = CandleStore::open(fileUrl(path), {});
        QVERIFY(first.ok());
    }
    QVERIFY(!QFile::exists(path + u".lock"_s));
    QVERIFY(CandleStore::open(fileUrl(path), {}).ok());
}

void TestSqliteCandleStore::readOnlyFileIsRefused()
{
    const QString path = m_dir.filePath(u"ro.db"_s);
    {
        auto store = CandleStore::open(fileUrl(path), {});
        QVERIFY(store.ok());
    }
    QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner));
    const QByteArray before = fileBytes(path);
    auto opened = CandleStore::open(fileUrl(path), {});
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, ErrorCode::Unavailable);
    QCOMPARE(opened.error().message, path + u": the file is read-only; expected a writable database file"_s);
    QCOMPARE(fileBytes(path), before);
    QVERIFY(!QFile::exists(path + u".lock"_s));
    // Read-only commands still work on it.
    QVERIFY(CandleStore::open(fileUrl(path), {true}).ok());
}

void TestSqliteCandleStore::notADatabaseIsRefused()
{
    const QString path = m_dir.filePath(u"notes.txt"_s);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    const QByteArray text = QByteArray("these are not the pages of a database\n").repeated(200);
    f.write(text);
    f.close();
    auto opened = CandleStore::open(fileUrl(path), {});
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, ErrorCode::BadRequest);
    QVERIFY2(opened.error().message.startsWith(path + u": file is not a database"_s), qPrintable(opened.error().message));
    QVERIFY(opened.error().message.endsWith(u"; expected a SQLite database file"_s));
    QCOMPARE(fileBytes(path), text);
}

void TestSqliteCandleStore::missingDirectoryIsRefused()
{
    const QString path = m_dir.filePath(u"no/such/dir/x.db"_s);
    auto opened = CandleStore::open(fileUrl(path), {});
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, ErrorCode::Unavailable);
    QVERIFY2(opened.error().message.contains(u"does not exist; expected an existing directory"_s),
             qPrintable(opened.error().message));
    store::StoreOptions create;
    create.createDirectory = true;
    QVERIFY(CandleStore::open(fileUrl(path), create).ok());
}

void TestSqliteCandleStore::readOnlyOpenNeedsExistingFile()
{
    const QString path = m_dir.filePath(u"absent.db"_s);
    auto opened = CandleStore::open(fileUrl(path), {true});
    QVERIFY(!opened.ok());
    QCOMPARE(opened.error().code, ErrorCode::NotFound);
    QCOMPARE(opened.error().message, path + u": no such database file; expected an existing gapless database"_s);
    QVERIFY(!QFile::exists(path));
}

void TestSqliteCandleStore::readOnlyOpenSkipsLock()
{
    // STORE-4: read-only commands skip the writer lock.
    const QString path = m_dir.filePath(u"shared.db"_s);
    auto writer = CandleStore::open(fileUrl(path), {});
    QVERIFY(writer.ok());
    auto reader = CandleStore::open(fileUrl(path), {true});
    QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error().message));
    QCOMPARE((*reader)->schemaVersion(), 1);
}

void TestSqliteCandleStore::usesWalAndPrivateModes()
{
    const QString path = m_dir.filePath(u"wal.db"_s);
    auto store = CandleStore::open(fileUrl(path), {});
    QVERIFY(store.ok());
    QSqlQuery q((*store)->database());
    QVERIFY(q.exec(u"PRAGMA journal_mode"_s) && q.next());
    QCOMPARE(q.value(0).toString(), u"wal"_s);
    QVERIFY(q.exec(u"PRAGMA synchronous"_s) && q.next());
    QCOMPARE(q.value(0).toInt(), 1); // NORMAL
    // SEC-5
    QCOMPARE(QFile::permissions(path) & 0x0077, QFileDevice::Permissions());
}

QTEST_GUILESS_MAIN(TestSqliteCandleStore)
#include "tst_sqlitecandlestore.moc"
