// The failpoint registry (OBS-6): which hits fail, with which message, counted how.
#include "core/runtime/failpoints.h"

#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;
using gapless::Failpoint;
using gapless::Failpoints;

namespace {

QList<Failpoint> parse(const QString &text)
{
    auto points = gapless::parseFailpoints(text);
    if (!points)
        qFatal("bad failpoints '%s': %s", qPrintable(text), qPrintable(points.error().message));
    return *points;
}

// `X` for a hit that failed, `.` for one that passed.
QString pattern(Failpoints &registry, const QString &name, int hits)
{
    QString out;
    for (int i = 0; i < hits; ++i)
        out += registry.hit(name).ok() ? u'.' : u'X';
    return out;
}

} // namespace

class TestFailpoints final : public QObject
{
    Q_OBJECT

private slots:
    void firesByTrigger_data();
    void firesByTrigger();
    void noneActiveByDefault();
    void errorIsExactlyFailpointName();
    void countsEveryHit();
    void reportsWhichAreActive();
    void probabilityFollowsTheSeed();
    void probabilityIgnoresOtherPoints();
    void probabilityIsRoughlyTheRate();
    void countsAcrossThreads();
};

void TestFailpoints::firesByTrigger_data()
{
    QTest::addColumn<QString>("config");
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    // OBS-6: bare = every hit, COUNT = the first N hits, PROB% = each hit with that chance.
    QTest::addRow("bare") << u"ingest.store"_s << quint64(1) << u"ingest.store"_s << u"XXXXXXXXXXXXXXXX"_s;
    QTest::addRow("count 1") << u"ingest.commit=1"_s << quint64(1) << u"ingest.commit"_s << u"X..............."_s;
    QTest::addRow("count 3") << u"journal.write=3"_s << quint64(1) << u"journal.write"_s << u"XXX............."_s;
    QTest::addRow("0 percent") << u"source.rest=0%"_s << quint64(1) << u"source.rest"_s << u"................"_s;
    QTest::addRow("100 percent") << u"source.rest=100%"_s << quint64(1) << u"source.rest"_s << u"XXXXXXXXXXXXXXXX"_s;
    // Pinned: the pattern a seed gives must not change between builds, or fault runs
    // (REL-1/2) stop being reproducible.
    QTest::addRow("50 percent, seed 1") << u"source.stream=50%"_s << quint64(1) << u"source.stream"_s
                                        << u"....XXX.X...XX.X"_s;
    QTest::addRow("50 percent, seed 7") << u"source.stream=50%"_s << quint64(7) << u"source.stream"_s
                                        << u"X.XX.....XX....."_s;
    QTest::addRow("inactive name") << u"ingest.store,ingest.factor=2"_s << quint64(1) << u"ingest.overlay"_s
                                   << u"................"_s;
    QTest::addRow("other configured") << u"ingest.store=2,ingest.factor"_s << quint64(1) << u"ingest.store"_s
                                      << u"XX.............."_s;
}

void TestFailpoints::firesByTrigger()
{
    QFETCH(QString, config);
    QFETCH(quint64, seed);
    QFETCH(QString, name);
    QFETCH(QString, expected);
    Failpoints registry(parse(config), seed);
    QCOMPARE(pattern(registry, name, int(expected.size())), expected);
    QCOMPARE(registry.hits(name), expected.size());
}

void TestFailpoints::noneActiveByDefault()
{
    Failpoints registry;
    for (const QString &name : gapless::failpointNames()) {
        QVERIFY(!registry.isActive(name));
        QCOMPARE(pattern(registry, name, 5), u"....."_s);
    }
}

void TestFailpoints::errorIsExactlyFailpointName()
{
    // The journal message uses the error as its cause: `...: failpoint ingest.factor` (OBS-6, ING-9).
    Failpoints registry(parse(u"ingest.factor"_s), 1);
    const auto result = registry.hit(u"ingest.factor");
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, gapless::ErrorCode::Internal);
    QCOMPARE(result.error().message, u"failpoint ingest.factor"_s);
}

void TestFailpoints::countsEveryHit()
{
    Failpoints registry(parse(u"ingest.store=1"_s), 1);
    QCOMPARE(registry.hits(u"ingest.store"), 0);
    QVERIFY(!registry.hit(u"ingest.store").ok());
    QVERIFY(registry.hit(u"ingest.store").ok());
    QVERIFY(registry.hit(u"ingest.publish").ok());
    QCOMPARE(registry.hits(u"ingest.store"), 2);    // fired or not
    QCOMPARE(registry.hits(u"ingest.publish"), 1);  // inactive points count too
    QCOMPARE(registry.hits(u"ingest.overlay"), 0);
}

void TestFailpoints::reportsWhichAreActive()
{
    Failpoints registry(parse(u"ingest.store,source.rest=0%,job.heartbeat=4"_s), 1);
    QVERIFY(registry.isActive(u"ingest.store"));
    QVERIFY(registry.isActive(u"source.rest")); // configured, even if it never fires
    QVERIFY(registry.isActive(u"job.heartbeat"));
    QVERIFY(!registry.isActive(u"ingest.factor"));
}

void TestFailpoints::probabilityFollowsTheSeed()
{
    const QList<Failpoint> points = parse(u"ingest.publish=50%"_s);
    Failpoints a(points, 42);
    Failpoints b(points, 42);
    Failpoints c(points, 43);
    Failpoints high(points, (quint64(1) << 32) + 42); // the seed's upper half matters too
    const QString pa = pattern(a, u"ingest.publish"_s, 64);
    QCOMPARE(pattern(b, u"ingest.publish"_s, 64), pa);
    QVERIFY(pattern(c, u"ingest.publish"_s, 64) != pa);
    QVERIFY(pattern(high, u"ingest.publish"_s, 64) != pa);
}

void TestFailpoints::probabilityIgnoresOtherPoints()
{
    // Each point draws from its own generator: hits elsewhere (another thread) change nothing.
    const QList<Failpoint> points = parse(u"source.rest=50%,source.stream=50%"_s);
    Failpoints alone(points, 5);
    Failpoints mixed(points, 5);
    const QString expected = pattern(alone, u"source.rest"_s, 32);
    QString got;
    for (int i = 0; i < 32; ++i) {
        (void)mixed.hit(u"source.stream");
        got += mixed.hit(u"source.rest").ok() ? u'.' : u'X';
    }
    QCOMPARE(got, expected);
}

void TestFailpoints::probabilityIsRoughlyTheRate()
{
    Failpoints registry(parse(u"source.rest=25%"_s), 1);
    const QString p = pattern(registry, u"source.rest"_s, 4000);
    const qsizetype fired = p.count(u'X');
    QVERIFY2(fired > 850 && fired < 1150, qPrintable(QString::number(fired)));
}

void TestFailpoints::countsAcrossThreads()
{
    // Hits come from the writer and the network thread at once: no hit is lost, and a
    // COUNT point fires exactly COUNT times in total.
    Failpoints registry(parse(u"source.stream=1000"_s), 1);
    constexpr int kPerThread = 5000;
    std::atomic<int> failed{0};
    const auto work = [&] {
        for (int i = 0; i < kPerThread; ++i) {
            if (!registry.hit(u"source.stream").ok())
                ++failed;
        }
    };
    std::unique_ptr<QThread> t1(QThread::create(work));
    std::unique_ptr<QThread> t2(QThread::create(work));
    t1->start();
    t2->start();
    QVERIFY(t1->wait());
    QVERIFY(t2->wait());
    QCOMPARE(registry.hits(u"source.stream"), 2 * kPerThread);
    QCOMPARE(failed.load(), 1000);
}

QTEST_GUILESS_MAIN(TestFailpoints)
#include "tst_failpoints.moc"
