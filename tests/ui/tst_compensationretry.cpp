// UI-14 compensation, ING-11, D-UI-33, on a real core (UI-19): a batch fails through a
// failpoint and is journalled; Retry in the panel runs the retry_error job; the row shows
// resolved and the store's row is resolved. A retry that fails again shows its error in the
// panel, and the new journal row joins the list.
#include "core/ingest/errorjournal.h"
#include "core/ingest/journalentry.h"
#include "core/protocol/client.h"
#include "core/store/candlestore.h"
#include "tests/support/testcore.h"
#include "ui/models/compensationmodel.h"
#include "ui/panels/actionpanels.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;
using namespace gapless::test;
using gapless::ui::CompensationModel;
using gapless::ui::CompensationPanel;

namespace {

const SeriesId kSeries = *SeriesId::parse(u"file:test:RETRY:1m");
constexpr qint64 kT0 = 1700000000 - 1700000000 % 60;
constexpr qint64 kNowMs = (kT0 + 86400) * 1000;

/// The store's journal row `id`, read the way `gapless errors` reads it.
Result<ingest::JournalEntry> storedRow(const store::StoreUrl &url, qint64 id)
{
    store::StoreOptions options;
    options.readOnly = true;
    auto opened = store::CandleStore::open(url, options);
    if (!opened)
        return opened.error();
    ingest::ErrorJournal journal(**opened);
    return journal.get(id);
}

QString panelMessage(const CompensationPanel &panel)
{
    QStringList texts;
    for (const QLabel *label : panel.findChildren<QLabel *>())
        texts << label->text();
    return texts.join(u'\n');
}

/// The panel on a client of `core`, with the journal's open rows listed.
struct PanelOnCore
{
    explicit PanelOnCore(const QUrl &url)
        : client([&] {
            protocol::ClientOptions options;
            options.url = url;
            return options;
        }())
        , model(&client)
        , tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest)
        , panel(&model)
    {
        panel.resize(900, 300);
        panel.show();
        client.open();
    }

    protocol::Client client;
    CompensationModel model;
    QAbstractItemModelTester tester;
    CompensationPanel panel;
};

} // namespace

class TestCompensationRetry final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void retryResolvesTheRow();
    void failedRetryShowsItsError();
};

void TestCompensationRetry::initTestCase()
{
    qRegisterMetaType<SeriesId>();
    qRegisterMetaType<Candle>();
    qRegisterMetaType<CandleList>();
    qRegisterMetaType<Error>();
}

void TestCompensationRetry::retryResolvesTheRow()
{
    // The first store step fails, the retry's passes.
    TestCore core(kNowMs, {u"debug.enable_failpoints=true"_s, u"debug.failpoints=ingest.store=1"_s});
    QVERIFY2(core.start(), qPrintable(core.error()));
    const CandleList bars = syntheticCandles(kT0, 50);
    QVERIFY(!core.ingest(kSeries, bars));
    QVERIFY(core.stored(kSeries).isEmpty());

    PanelOnCore ui(core.url());
    QTRY_COMPARE_WITH_TIMEOUT(ui.model.rowCount(), 1, 10000);
    const qint64 id = ui.model.rowObject(0).value("id"_L1).toInteger();
    QCOMPARE(ui.model.index(0, CompensationModel::StatusColumn).data().toString(), u"open"_s);
    QCOMPARE(ui.model.index(0, CompensationModel::StepColumn).data().toString(), u"store"_s);

    ui.panel.view()->setCurrentIndex(ui.panel.view()->model()->index(0, 0));
    QVERIFY(ui.panel.retryButton()->isEnabled());
    ui.panel.retryButton()->click();
    QVERIFY(!ui.panel.retryButton()->isEnabled()); // in flight

    QTRY_COMPARE_WITH_TIMEOUT(ui.model.index(0, CompensationModel::StatusColumn).data().toString(), u"resolved"_s,
                              30000);
    QVERIFY(!ui.panel.retryButton()->isEnabled());
    QVERIFY2(panelMessage(ui.panel).contains(u"Error %1 resolved by job"_s.arg(id)), qPrintable(panelMessage(ui.panel)));
    const auto row = storedRow(core.storeUrl(), id);
    QVERIFY2(row, qPrintable(row ? QString() : row.error().message));
    QCOMPARE(row->status, u"resolved"_s);
    QCOMPARE(core.stored(kSeries), bars);
}

void TestCompensationRetry::failedRetryShowsItsError()
{
    // Every store step fails: the retry fails too (ING-11: the row is `retried`, a new row
    // carries the new failure). One attempt: the job system would otherwise try the failing
    // job again with backoff (IDEM-13).
    TestCore core(kNowMs, {u"debug.enable_failpoints=true"_s, u"debug.failpoints=ingest.store"_s,
                           u"jobs.max_attempts=1"_s});
    QVERIFY2(core.start(), qPrintable(core.error()));
    QVERIFY(!core.ingest(kSeries, syntheticCandles(kT0, 50)));

    PanelOnCore ui(core.url());
    QTRY_COMPARE_WITH_TIMEOUT(ui.model.rowCount(), 1, 10000);
    const qint64 id = ui.model.rowObject(0).value("id"_L1).toInteger();
    ui.panel.view()->setCurrentIndex(ui.panel.view()->model()->index(0, 0));
    ui.panel.retryButton()->click();
    QVERIFY(!ui.panel.retryButton()->isEnabled());

    QTRY_VERIFY_WITH_TIMEOUT(panelMessage(ui.panel).contains(u"Retry of error %1 failed"_s.arg(id)), 30000);
    const QString message = panelMessage(ui.panel);
    QVERIFY2(message.contains(u"failpoint ingest.store"_s), qPrintable(message));
    QTRY_VERIFY(ui.panel.retryButton()->isEnabled());
    const auto row = storedRow(core.storeUrl(), id);
    QVERIFY2(row, qPrintable(row ? QString() : row.error().message));
    QCOMPARE(row->status, u"retried"_s);
    // The retry's own failure is journalled and listed, open, naming the row it retried,
    // which shows `retried`.
    const auto retryRow = [&]() -> int {
        for (int i = 0; i < ui.model.rowCount(); ++i) {
            if (ui.model.rowObject(i).value("retry_of"_L1).toInteger() == id)
                return i;
        }
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(retryRow() >= 0, 10000);
    QCOMPARE(ui.model.rowObject(retryRow()).value("status"_L1).toString(), u"open"_s);
    QTRY_COMPARE(ui.model.index(0, CompensationModel::StatusColumn).data().toString(), u"retried"_s);
    QVERIFY(ui.model.canRetry(0)); // ING-11: a retried row may be retried again
    QVERIFY(core.stored(kSeries).isEmpty());
}

QTEST_MAIN(TestCompensationRetry)
#include "tst_compensationretry.moc"
