// SRC-11: a kline stream reconnects after min(60 s, 1 s·2^n)·u, u in [0.5, 1) from the
// injected random, n reset once a connection stayed live; never more than 250 connects in
// any 5 minutes.
#include "core/sources/binance/reconnectpolicy.h"

#include <QTest>

using namespace gapless::sources;

class TestReconnectPolicy : public QObject
{
    Q_OBJECT

private slots:
    void backoffDoublesUpToTheCap();
    void randomScalesBetweenHalfAndOne();
    void resetStartsAgain();
    void connectLimitPerWindow();
};

void TestReconnectPolicy::backoffDoublesUpToTheCap()
{
    ReconnectPolicy policy({}, [] { return 0.0; }); // u = 0.5
    const QList<qint64> expected{500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
    for (const qint64 delay : expected)
        QCOMPARE(policy.afterFailure(1000000), 1000000 + delay);
    QCOMPARE(policy.failures(), 9);
}

void TestReconnectPolicy::randomScalesBetweenHalfAndOne()
{
    double r = 0.5;
    ReconnectPolicy policy({}, [&] { return r; });
    QCOMPARE(policy.afterFailure(0), 750); // 1 s · 0.75
    r = 0.999;
    QCOMPARE(policy.afterFailure(0), 1999); // 2 s · 0.9995
}

void TestReconnectPolicy::resetStartsAgain()
{
    ReconnectPolicy policy({}, [] { return 0.0; });
    (void)policy.afterFailure(0);
    (void)policy.afterFailure(0);
    policy.resetFailures();
    QCOMPARE(policy.afterFailure(0), 500);
}

void TestReconnectPolicy::connectLimitPerWindow()
{
    ReconnectPolicy::Options options;
    options.connectLimit = 3;
    options.connectWindowMs = 300000;
    ReconnectPolicy policy(options, [] { return 0.0; });
    policy.recordConnect(1000);
    policy.recordConnect(2000);
    QCOMPARE(policy.earliestConnectMs(3000), 3000);
    policy.recordConnect(3000);
    // A fourth connect waits until the first leaves the window.
    QCOMPARE(policy.earliestConnectMs(3000), 301000);
    QCOMPARE(policy.afterFailure(3000), 301000);
    QCOMPARE(policy.earliestConnectMs(301000), 301000);
}

QTEST_GUILESS_MAIN(TestReconnectPolicy)
#include "tst_reconnectpolicy.moc"
