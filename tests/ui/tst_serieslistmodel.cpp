// UI-1, UI-15, UI-18, UI-19: the series list with its lamps; a stale series' lamp is a red
// square, a lagging one a yellow triangle (colour paired with shape), checked in pixels.
#include "core/protocol/client.h"
#include "tests/ui/scriptedcommands.h"
#include "ui/lamp.h"
#include "ui/models/serieslistmodel.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace gapless;

class TestSeriesListModel : public QObject
{
    Q_OBJECT
private slots:
    void listsSeriesAndMergesHealth();
    void staleLampIsARedSquareInTheView();
};

namespace {

const QString kStale = u"binance:spot:BTC/USDT:1m"_s;
const QString kLagging = u"binance:spot:ETH/USDT:1m"_s;

QJsonObject listed(const QString &id)
{
    return {{u"series_id"_s, id}, {u"first_time"_s, 0}, {u"head_time"_s, 600}, {u"count"_s, 11},
            {u"live"_s, true}, {u"source"_s, u"binance"_s}};
}

QJsonObject health(const QString &id, const QString &lamp, const QString &reason, qint64 lag)
{
    return test::topicFrame(u"health", {{u"series_id"_s, id}, {u"lamp"_s, lamp}, {u"reason"_s, reason},
                                        {u"lag_seconds"_s, lag}});
}

struct ColourCount
{
    int count = 0;
    QRect box;
};

/// The pixels of `image` inside `area` within 40 of `colour` per channel, and their bounds.
ColourCount countColour(const QImage &image, const QRect &area, const QColor &colour)
{
    ColourCount out;
    for (int y = area.top(); y <= area.bottom(); ++y) {
        for (int x = area.left(); x <= area.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (qAbs(c.red() - colour.red()) < 40 && qAbs(c.green() - colour.green()) < 40
                && qAbs(c.blue() - colour.blue()) < 40) {
                ++out.count;
                out.box |= QRect(x, y, 1, 1);
            }
        }
    }
    return out;
}

} // namespace

void TestSeriesListModel::listsSeriesAndMergesHealth()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    protocol::Client client(test::clientOptions(server.url()));
    ui::SeriesListModel model(&client);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy listedSpy(&model, &ui::SeriesListModel::seriesListed);
    client.open();
    QVERIFY(test::answerCommand(server, u"series_list",
                                QJsonObject{{u"series"_s, QJsonArray{listed(kStale), listed(kLagging)}}}));
    QTRY_COMPARE(listedSpy.count(), 1);
    QCOMPARE(listedSpy.first().first().toStringList(), (QStringList{kStale, kLagging}));
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(model.isListed());

    server.send(health(kStale, u"red"_s, u"stale"_s, 3600));
    QTRY_COMPARE(model.index(0, ui::SeriesListModel::LampColumn).data().toString(), u"stale"_s);
    QCOMPARE(model.index(0, ui::SeriesListModel::LagColumn).data().toString(), u"1 h 0 min"_s);
    QCOMPARE(model.index(0, ui::SeriesListModel::SeriesColumn).data().toString(), kStale);
    QVERIFY(model.index(0, ui::SeriesListModel::SeriesColumn).data(Qt::ToolTipRole).toString().contains(u"11 bars"_s));
    QVERIFY(model.index(0, ui::SeriesListModel::LampColumn).data(Qt::AccessibleTextRole).toString().contains(u"red"_s));
}

void TestSeriesListModel::staleLampIsARedSquareInTheView()
{
    ScriptedServer server;
    QVERIFY(server.listen());
    protocol::Client client(test::clientOptions(server.url()));
    ui::SeriesListModel model(&client);
    QTableView view;
    view.setModel(&model);
    view.setIconSize(QSize(14, 14));
    view.verticalHeader()->setDefaultSectionSize(24);
    view.horizontalHeader()->resizeSection(ui::SeriesListModel::LampColumn, 160);
    view.resize(500, 200);
    view.show();
    client.open();
    QVERIFY(test::answerCommand(server, u"series_list",
                                QJsonObject{{u"series"_s, QJsonArray{listed(kStale), listed(kLagging)}}}));
    server.send(health(kStale, u"red"_s, u"stale"_s, 3600));
    server.send(health(kLagging, u"yellow"_s, u"lagging"_s, 60));
    QTRY_COMPARE(model.index(1, ui::SeriesListModel::LampColumn).data().toString(), u"lagging"_s);
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    const QImage image = view.viewport()->grab().toImage();
    const QRect redCell = view.visualRect(model.index(0, ui::SeriesListModel::LampColumn));
    const QRect yellowCell = view.visualRect(model.index(1, ui::SeriesListModel::LampColumn));
    const ColourCount red = countColour(image, redCell, ui::lampColor(ui::Lamp::Red));
    const ColourCount yellow = countColour(image, yellowCell, ui::lampColor(ui::Lamp::Yellow));
    QVERIFY2(red.count >= 60, qPrintable(QString::number(red.count)));
    QVERIFY2(yellow.count >= 30, qPrintable(QString::number(yellow.count)));
    // A square fills its bounding box; a triangle about half of it.
    const double redFill = double(red.count) / (red.box.width() * red.box.height());
    const double yellowFill = double(yellow.count) / (yellow.box.width() * yellow.box.height());
    QVERIFY2(redFill > 0.9, qPrintable(QString::number(redFill)));
    QVERIFY2(yellowFill > 0.3 && yellowFill < 0.75, qPrintable(QString::number(yellowFill)));
    // No red in the lagging row's lamp: colour belongs to the lamp, not the row.
    QCOMPARE(countColour(image, yellowCell, ui::lampColor(ui::Lamp::Red)).count, 0);
}

QTEST_MAIN(TestSeriesListModel)
#include "tst_serieslistmodel.moc"
