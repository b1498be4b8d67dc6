// D-STO-6: a writable SQLite store checkpoints its WAL on a thread of its own, so the writer's
// commits never carry a checkpoint's fsync (PERF-18); the WAL stays bounded and nothing
// committed is lost. A checkpoint thread that cannot keep up hands the work back to the writer.
#include "core/store/candlestore.h"
#include "core/store/sqlitecheckpointer.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Qt::StringLiterals;
using namespace gapless;
using store::SqliteCheckpointer;

namespace {

constexpr qint64 kPage = 4096;

// A WAL-mode database as the store opens one, through the C API so the test sees the counters.
class RawDatabase
{
public:
    explicit RawDatabase(const QString &path)
    {
        if (sqlite3_open_v2(path.toUtf8().constData(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr)
            != SQLITE_OK)
            qFatal("open %s failed", qPrintable(path));
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=NORMAL");
        exec("CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, payload BLOB)");
    }
    ~RawDatabase() { sqlite3_close(m_db); }
    Q_DISABLE_COPY_MOVE(RawDatabase)

    [[nodiscard]] sqlite3 *handle() const { return m_db; }
    bool exec(const char *sql) { return sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

    // `rows` rows of about one page each, `perCommit` to a transaction.
    bool write(int rows, int perCommit)
    {
        sqlite3_stmt *insert = nullptr;
        if (sqlite3_prepare_v2(m_db, "INSERT INTO t(payload) VALUES (zeroblob(3500))", -1, &insert, nullptr) != SQLITE_OK)
            return false;
        bool ok = true;
        for (int i = 0; i < rows && ok; ++i) {
            if (i % perCommit == 0)
                ok = exec("BEGIN");
            ok = ok && sqlite3_step(insert) == SQLITE_DONE && sqlite3_reset(insert) == SQLITE_OK;
            if (ok && (i % perCommit == perCommit - 1 || i == rows - 1))
                ok = exec("COMMIT");
        }
        sqlite3_finalize(insert);
        return ok;
    }

    qint64 count()
    {
        sqlite3_stmt *q = nullptr;
        sqlite3_prepare_v2(m_db, "SELECT COUNT(*) FROM t", -1, &q, nullptr);
        const qint64 n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
        sqlite3_finalize(q);
        return n;
    }

private:
    sqlite3 *m_db = nullptr;
};

qint64 fileSize(const QString &path)
{
    return QFileInfo(path).size();
}

} // namespace

class TestSqliteCheckpointer final : public QObject
{
    Q_OBJECT

private slots:
    void checkpointsRunOnTheThreadNotInCommits();
    void writerTakesOverWhenTheThreadIsBehind();
    void storeKeepsItsWalBoundedAndItsRows();

private:
    QTemporaryDir m_dir;
};

void TestSqliteCheckpointer::checkpointsRunOnTheThreadNotInCommits()
{
    const QString path = m_dir.filePath(u"thread.db"_s);
    RawDatabase db(path);
    SqliteCheckpointer checkpointer;
    QVERIFY(checkpointer.attach(db.handle(), path));
    const qint64 before = fileSize(path);
    // 3,000 pages in commits of 50: past kCheckpointPages several times.
    QVERIFY(db.write(3000, 50));
    QTRY_VERIFY(checkpointer.backgroundCheckpoints() >= 1);
    QCOMPARE(checkpointer.inlineCheckpoints(), 0);
    QTRY_VERIFY(checkpointer.backgroundFrames() >= SqliteCheckpointer::kCheckpointPages);
    // The pages reached the database file although the writer never checkpointed.
    QTRY_VERIFY(fileSize(path) >= before + 900 * kPage);
    checkpointer.detach();
    QCOMPARE(db.count(), 3000);
}

void TestSqliteCheckpointer::writerTakesOverWhenTheThreadIsBehind()
{
    const QString path = m_dir.filePath(u"behind.db"_s);
    RawDatabase db(path);
    SqliteCheckpointer checkpointer;
    QVERIFY(checkpointer.attach(db.handle(), path));
    // A reader in an open transaction pins the WAL: no checkpoint can reset it, so it grows
    // until the writer's own checkpoint steps in at kInlinePages.
    RawDatabase reader(path);
    QVERIFY(reader.exec("BEGIN"));
    QCOMPARE(reader.count(), 0);
    QVERIFY(db.write(SqliteCheckpointer::kInlinePages + 500, 500));
    QVERIFY(checkpointer.inlineCheckpoints() >= 1);
    QVERIFY(reader.exec("COMMIT"));
    QCOMPARE(reader.count(), SqliteCheckpointer::kInlinePages + 500);
    checkpointer.detach();
}

void TestSqliteCheckpointer::storeKeepsItsWalBoundedAndItsRows()
{
    const QString path = m_dir.filePath(u"store.db"_s);
    store::StoreUrl url;
    url.path = path;
    const SeriesId series = *SeriesId::parse(u"file:test:CKPT:1m"_s);
    constexpr qint64 kT0 = 1704067200;
    constexpr int kBatches = 2000;
    constexpr int kPerBatch = 50;
    {
        auto opened = store::CandleStore::open(url, {});
        QVERIFY2(opened.ok(), qPrintable(opened.ok() ? QString() : opened.error().message));
        store::CandleStore &s = **opened;
        for (int b = 0; b < kBatches; ++b) {
            CandleList rows;
            for (int i = 0; i < kPerBatch; ++i) {
                const qint64 n = qint64(b) * kPerBatch + i;
                const double p = 100 + double(n % 89);
                rows.append({kT0 + 60 * n, p, p + 1, p - 1, p, 1});
            }
            QVERIFY(s.begin().ok());
            QVERIFY(s.upsert(series, rows, {}).ok());
            QVERIFY(s.commit().ok());
        }
        // 2,000 commits of several pages each passed kCheckpointPages many times; the WAL
        // stayed under the mark at which the writer would have to checkpoint itself.
        QVERIFY(fileSize(path + u"-wal"_s) < SqliteCheckpointer::kInlinePages * (kPage + 24));
    }
    store::StoreOptions readOnly;
    readOnly.readOnly = true;
    auto reopened = store::CandleStore::open(url, readOnly);
    QVERIFY(reopened.ok());
    auto all = (*reopened)->range(series, kT0, kT0 + 60LL * kBatches * kPerBatch);
    QVERIFY(all.ok());
    QCOMPARE(all->size(), qsizetype(kBatches) * kPerBatch);
    QCOMPARE(all->constLast().time, kT0 + 60LL * (kBatches * kPerBatch - 1));
}

QTEST_GUILESS_MAIN(TestSqliteCheckpointer)
#include "tst_sqlitecheckpointer.moc"
