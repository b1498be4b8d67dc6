// UI-14 review, UI-15, REP-9/10: open review items, differing fields marked, resolve.
#include "core/protocol/client.h"
#include "core/protocol/serverframes.h"
#include "tests/ui/scriptedcommands.h"
#include "ui/models/reviewmodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;

class TestReviewModel : public QObject
{
    Q_OBJECT
private slots:
    void marksDifferingFieldsAndResolves();
    void anUnavailableAnswerBecomesTheMessage();
};

namespace {

QJsonObject ohlcv(double open, double high, double low, double close, double volume)
{
    return {{u"open"_s, open}, {u"high"_s, high}, {u"low"_s, low}, {u"close"_s, close}, {u"volume"_s, volume}};
}

QJsonObject item(qint64 id, qint64 time)
{
    return {{u"id"_s, id},
            {u"job_id"_s, u"4242"_s},
            {u"series_id"_s, u"binance:spot:BTC/USDT:1m"_s},
            {u"candle_time"_s, time},
            {u"local_json"_s, ohlcv(10, 12, 9, 11, 100)},
            {u"source_json"_s, ohlcv(10, 12.5, 9, 11, 140)},
            {u"source"_s, u"exchange"_s},
            {u"state"_s, u"open"_s}};
}

} // namespace

void TestReviewModel::marksDifferingFieldsAndResolves()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    protocol::Client client(test::clientOptions(server.url()));
    ui::ReviewModel model(&client);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    client.open();
    const QJsonObject list = test::waitForCommand(server, u"review_list");
    QCOMPARE(list.value("args"_L1).toObject().value("state"_L1).toString(), u"open"_s);
    server.send(protocol::serverframe::result(list.value("request_id"_L1).toString(),
                                              QJsonObject{{u"items"_s, QJsonArray{item(1, 600), item(2, 660)}},
                                                          {u"has_more"_s, false}}));
    QTRY_COMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, ui::ReviewModel::HighColumn).data(ui::ReviewModel::DiffersRole).toBool(), true);
    QCOMPARE(model.index(0, ui::ReviewModel::VolumeColumn).data(ui::ReviewModel::DiffersRole).toBool(), true);
    QCOMPARE(model.index(0, ui::ReviewModel::OpenColumn).data(ui::ReviewModel::DiffersRole).toBool(), false);
    QCOMPARE(model.index(0, ui::ReviewModel::HighColumn).data().toString(), u"12 → 12.5"_s);
    QCOMPARE(model.index(0, ui::ReviewModel::OpenColumn).data().toString(), u"10"_s);
    QVERIFY(model.index(0, ui::ReviewModel::HighColumn).data(Qt::BackgroundRole).isValid());
    QVERIFY(!model.index(0, ui::ReviewModel::LowColumn).data(Qt::BackgroundRole).isValid());

    model.resolve({0, 1}, u"keep_local"_s);
    const QJsonObject resolve = test::waitForCommand(server, u"review_resolve");
    QCOMPARE(resolve.value("args"_L1).toObject().value("ids"_L1).toArray(), (QJsonArray{1, 2}));
    QCOMPARE(resolve.value("args"_L1).toObject().value("action"_L1).toString(), u"keep_local"_s);
    static const QRegularExpression uuid4(u"^[0-9a-f-]{36}$"_s);
    QVERIFY(uuid4.match(resolve.value("idempotency_key"_L1).toString()).hasMatch());
    server.send(protocol::serverframe::result(resolve.value("request_id"_L1).toString(), QJsonObject()));
    QTRY_COMPARE(model.rowCount(), 0);
}

void TestReviewModel::anUnavailableAnswerBecomesTheMessage()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    protocol::Client client(test::clientOptions(server.url()));
    ui::ReviewModel model(&client);
    client.open();
    const QJsonObject list = test::waitForCommand(server, u"review_list");
    server.send(protocol::serverframe::failure(list.value("request_id"_L1).toString(),
                                               Error::unavailable(u"review_list: no review queue on this core"_s)));
    QTRY_VERIFY(model.statusMessage().contains(u"no review queue on this core (unavailable)"_s));
}

QTEST_MAIN(TestReviewModel)
#include "tst_reviewmodel.moc"
