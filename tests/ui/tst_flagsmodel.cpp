// UI-14 flags dialog, CFG-4, IDEM-1: flags_get from a real core; only `*` keys are editable,
// and an edit is a flags_set with a key that the core applies.
#include "core/protocol/client.h"
#include "tests/support/testcore.h"
#include "tests/ui/scriptedcommands.h"
#include "ui/models/flagsmodel.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;

class TestFlagsModel : public QObject
{
    Q_OBJECT
private slots:
    void editsARuntimeKeyOnARealCore();
};

void TestFlagsModel::editsARuntimeKeyOnARealCore()
{
    test::TestCore core(1'726'700'000'000);
    QVERIFY2(core.start(), qPrintable(core.error()));
    protocol::Client client(test::clientOptions(core.url()));
    ui::FlagsModel model(&client);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    client.open();
    QTRY_COMPARE(client.state(), protocol::Client::State::Live);
    model.refresh();
    QTRY_VERIFY(model.rowCount() > 20);
    const int runtime = model.rowOfKey(u"server.catchup_limit"_s);
    const int restart = model.rowOfKey(u"store.busy_timeout_ms"_s);
    QVERIFY(runtime >= 0 && restart >= 0);
    QVERIFY(model.flags(model.index(runtime, ui::FlagsModel::ValueColumn)) & Qt::ItemIsEditable);
    QVERIFY(!(model.flags(model.index(restart, ui::FlagsModel::ValueColumn)) & Qt::ItemIsEditable));
    QVERIFY(!model.setData(model.index(restart, ui::FlagsModel::ValueColumn), u"10"_s));

    QVERIFY(model.setData(model.index(runtime, ui::FlagsModel::ValueColumn), u"1234"_s));
    QTRY_COMPARE(model.index(runtime, ui::FlagsModel::ValueColumn).data().toString(), u"1234"_s);
    QCOMPARE(model.index(runtime, ui::FlagsModel::SourceColumn).data().toString(), u"runtime"_s);
    QCOMPARE(core.core().settings().intValue(u"server.catchup_limit"), 1234);

    QVERIFY(model.setData(model.index(runtime, ui::FlagsModel::ValueColumn), u"7"_s)); // below 100
    QTRY_VERIFY(model.statusMessage().contains(u"server.catchup_limit = \"7\" refused"_s));
    QCOMPARE(model.index(runtime, ui::FlagsModel::ValueColumn).data().toString(), u"1234"_s);
}

QTEST_MAIN(TestFlagsModel)
#include "tst_flagsmodel.moc"
