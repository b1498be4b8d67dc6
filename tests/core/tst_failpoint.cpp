#include "core/runtime/failpoint.h"

#include <QTest>

using namespace Qt::StringLiterals;
using gapless::Failpoint;

class TestFailpoint final : public QObject
{
    Q_OBJECT

private slots:
    void parsesValid_data();
    void parsesValid();
    void rejectsInvalid_data();
    void rejectsInvalid();
    void namesAreTheObs6List();
};

namespace {

Failpoint always(const QString &name)
{
    return {name, Failpoint::Trigger::Always, 0, 0};
}

Failpoint count(const QString &name, int n)
{
    return {name, Failpoint::Trigger::Count, n, 0};
}

Failpoint probability(const QString &name, double pct)
{
    return {name, Failpoint::Trigger::Probability, 0, pct};
}

} // namespace

void TestFailpoint::parsesValid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<Failpoint>>("expected");
    // OBS-6: comma list of NAME[=COUNT|=PROB%]
    QTest::addRow("empty") << QString() << QList<Failpoint>();
    QTest::addRow("blank") << u"  "_s << QList<Failpoint>();
    QTest::addRow("bare") << u"ingest.store"_s << QList<Failpoint>{always(u"ingest.store"_s)};
    QTest::addRow("count") << u"journal.write=3"_s << QList<Failpoint>{count(u"journal.write"_s, 3)};
    QTest::addRow("probability") << u"source.rest=12.5%"_s << QList<Failpoint>{probability(u"source.rest"_s, 12.5)};
    QTest::addRow("100 percent") << u"source.stream=100%"_s << QList<Failpoint>{probability(u"source.stream"_s, 100)};
    QTest::addRow("zero percent") << u"job.heartbeat=0%"_s << QList<Failpoint>{probability(u"job.heartbeat"_s, 0)};
    QTest::addRow("list, trimmed") << u" ingest.factor , ingest.commit=1 ,ingest.publish=50% "_s
                                   << QList<Failpoint>{always(u"ingest.factor"_s), count(u"ingest.commit"_s, 1),
                                                       probability(u"ingest.publish"_s, 50)};
}

void TestFailpoint::parsesValid()
{
    QFETCH(QString, text);
    QFETCH(QList<Failpoint>, expected);
    const auto points = gapless::parseFailpoints(text);
    QVERIFY2(points.ok(), qPrintable(points.ok() ? QString() : points.error().message));
    QVERIFY(*points == expected);
}

void TestFailpoint::rejectsInvalid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    // OBS-6: the names are a fixed list; COUNT >= 1; PROB in [0, 100].
    QTest::addRow("unknown name")
        << u"ingest.sotre"_s
        << u"debug.failpoints item 'ingest.sotre': unknown failpoint; expected one of ingest.store, "_s;
    QTest::addRow("zero count")
        << u"ingest.store=0"_s
        << u"debug.failpoints item 'ingest.store=0': bad count; expected COUNT in [1, 2147483647]"_s;
    QTest::addRow("negative count") << u"ingest.store=-1"_s << u"debug.failpoints item 'ingest.store=-1': bad count"_s;
    QTest::addRow("junk count") << u"ingest.store=3x"_s << u"debug.failpoints item 'ingest.store=3x': bad count"_s;
    QTest::addRow("empty count") << u"ingest.store="_s << u"debug.failpoints item 'ingest.store=': bad count"_s;
    QTest::addRow("count overflow") << u"ingest.store=99999999999"_s
                                    << u"debug.failpoints item 'ingest.store=99999999999': bad count"_s;
    QTest::addRow("over 100 percent")
        << u"source.rest=101%"_s
        << u"debug.failpoints item 'source.rest=101%': bad probability; expected PROB% with PROB in [0, 100]"_s;
    QTest::addRow("exponent") << u"source.rest=1e1%"_s
                              << u"debug.failpoints item 'source.rest=1e1%': bad probability"_s;
    QTest::addRow("bare percent") << u"source.rest=%"_s << u"debug.failpoints item 'source.rest=%': bad probability"_s;
    QTest::addRow("empty item") << u"ingest.store,,ingest.commit"_s
                                << u"debug.failpoints 'ingest.store,,ingest.commit': empty item"_s;
    QTest::addRow("trailing comma") << u"ingest.store,"_s << u"debug.failpoints 'ingest.store,': empty item"_s;
    QTest::addRow("repeated")
        << u"ingest.store,ingest.store=2"_s
        << u"debug.failpoints item 'ingest.store=2': repeated failpoint; expected each NAME once"_s;
    QTest::addRow("case matters") << u"Ingest.Store"_s << u"debug.failpoints item 'Ingest.Store': unknown failpoint"_s;
}

void TestFailpoint::rejectsInvalid()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const auto points = gapless::parseFailpoints(text);
    QVERIFY(!points.ok());
    QCOMPARE(points.error().code, gapless::ErrorCode::BadRequest);
    QVERIFY2(points.error().message.startsWith(expected), qPrintable(points.error().message));
}

void TestFailpoint::namesAreTheObs6List()
{
    QCOMPARE(gapless::failpointNames(), (QStringList{u"ingest.store"_s, u"ingest.factor"_s, u"ingest.overlay"_s,
                                                     u"ingest.commit"_s, u"ingest.publish"_s, u"journal.write"_s,
                                                     u"source.rest"_s, u"source.stream"_s, u"job.heartbeat"_s}));
}

QTEST_GUILESS_MAIN(TestFailpoint)
#include "tst_failpoint.moc"
