// STORE-5: the writer thread owns the only write connection; batches commit there.
#include "core/store/storewriter.h"
#include "tests/support/testdatabase.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using store::StoreWriter;
using store::WriterThread;

class TestStoreWriter final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void writesOnItsOwnThread();
    void reportsOpenFailure();
    void refusesWritesBeforeOpen();

private:
    test::TestDatabase m_db;
};

void TestStoreWriter::initTestCase()
{
    QVERIFY2(m_db.setupError().isEmpty(), qPrintable(m_db.setupError()));
}

void TestStoreWriter::writesOnItsOwnThread()
{
    const store::StoreUrl url = m_db.freshUrl();
    WriterThread thread;
    StoreWriter *writer = thread.writer();
    QThread *writerThread = nullptr;
    connect(writer, &StoreWriter::batchWritten, writer, [&] { writerThread = QThread::currentThread(); },
            Qt::DirectConnection);
    QSignalSpy opened(writer, &StoreWriter::opened);
    QSignalSpy written(writer, &StoreWriter::batchWritten);
    writer->open(url, {});
    QTRY_COMPARE(opened.count(), 1);
    QCOMPARE(opened.first().first().toInt(), 1);

    const SeriesId id = *SeriesId::parse(u"file:x:W:1m");
    writer->writeBatch(id, {Candle{60, 1, 2, 0.5, 1.5, 3}, Candle{120, 1, 2, 0.5, 1.5, 0}}, {});
    QTRY_COMPARE(written.count(), 1);
    const auto result = written.first().at(1).value<store::UpsertResult>();
    QCOMPARE(result.inserted, 2);
    QVERIFY(writerThread != nullptr);
    QVERIFY(writerThread != QThread::currentThread());

    // A second connection sees the committed rows (read-only: SQLite skips the writer lock).
    auto reader = store::CandleStore::open(url, {true});
    QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error().message));
    QCOMPARE((*reader)->range(id, 0, 1000)->size(), 2);
}

void TestStoreWriter::reportsOpenFailure()
{
    if (m_db.isPostgres())
        QSKIP("the SQLite variant covers the signal path; PostgreSQL open errors are in tst_postgrescandlestore");
    WriterThread thread;
    QSignalSpy failed(thread.writer(), &StoreWriter::openFailed);
    store::StoreUrl url;
    url.path = m_db.tempPath(u"missing/dir/x.db"_s);
    thread.writer()->open(url, {});
    QTRY_COMPARE(failed.count(), 1);
    const auto error = failed.first().first().value<Error>();
    QCOMPARE(error.code, ErrorCode::Unavailable);
    QVERIFY(error.message.startsWith(url.path));
}

void TestStoreWriter::refusesWritesBeforeOpen()
{
    WriterThread thread;
    QSignalSpy failed(thread.writer(), &StoreWriter::batchFailed);
    thread.writer()->writeBatch(*SeriesId::parse(u"file:x:W:1m"), {Candle{60, 1, 1, 1, 1, 1}}, {});
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.first().at(1).value<Error>().code, ErrorCode::Unavailable);
}

QTEST_GUILESS_MAIN(TestStoreWriter)
#include "tst_storewriter.moc"
