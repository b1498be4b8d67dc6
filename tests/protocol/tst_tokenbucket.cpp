// The command rate limit of SEC-2: `rate` tokens per second, at most `burst`, full at start,
// retry_after_ms = the time until one token, rounded up, at least 1.
#include "core/protocol/tokenbucket.h"

#include <QTest>

using gapless::protocol::TokenBucket;

namespace {

constexpr qint64 kStartMs = 1700000000000;

/// Takes `count` tokens at `nowMs`; false if any was refused.
bool drain(TokenBucket &bucket, int count, qint64 nowMs)
{
    for (int i = 0; i < count; ++i) {
        if (bucket.take(nowMs))
            return false;
    }
    return true;
}

} // namespace

class TestTokenBucket final : public QObject
{
    Q_OBJECT

private slots:
    void allowsTheBurst_data();
    void allowsTheBurst();
    void refillsAtTheRate();
    void refillStopsAtTheBurst();
    void reportsRetryAfter_data();
    void reportsRetryAfter();
    void retryAfterIsEnough();
    void ignoresAClockGoingBack();
    void setLimitsClampsAndChangesTheRate();
    void setLimitsRaisingTheBurstAddsNothing();
};

void TestTokenBucket::allowsTheBurst_data()
{
    QTest::addColumn<int>("rate");
    QTest::addColumn<int>("burst");
    QTest::newRow("defaults 50/100") << 50 << 100;
    QTest::newRow("burst 1") << 50 << 1;
    QTest::newRow("burst below rate") << 1000 << 10;
    QTest::newRow("rate 1") << 1 << 5;
}

void TestTokenBucket::allowsTheBurst()
{
    // SEC-2: full at start; burst takes at one instant, the next one is refused.
    QFETCH(int, rate);
    QFETCH(int, burst);
    TokenBucket bucket(rate, burst, kStartMs);
    QVERIFY(drain(bucket, burst, kStartMs));
    QVERIFY(bucket.take(kStartMs).has_value());
}

void TestTokenBucket::refillsAtTheRate()
{
    TokenBucket bucket(50, 100, kStartMs);
    QVERIFY(drain(bucket, 100, kStartMs));
    // 50 per second: one token every 20 ms.
    QVERIFY(bucket.take(kStartMs + 19).has_value());
    QVERIFY(!bucket.take(kStartMs + 20).has_value());
    QVERIFY(bucket.take(kStartMs + 20).has_value());
    // One second later: 50 more, and no 51st.
    QVERIFY(drain(bucket, 50, kStartMs + 1020));
    QVERIFY(bucket.take(kStartMs + 1020).has_value());
}

void TestTokenBucket::refillStopsAtTheBurst()
{
    TokenBucket bucket(50, 100, kStartMs);
    QVERIFY(drain(bucket, 100, kStartMs));
    const qint64 hourLater = kStartMs + 3600 * 1000;
    QVERIFY(drain(bucket, 100, hourLater));
    QVERIFY(bucket.take(hourLater).has_value());
}

void TestTokenBucket::reportsRetryAfter_data()
{
    QTest::addColumn<int>("rate");
    QTest::addColumn<int>("burst");
    QTest::addColumn<qint64>("elapsedMs"); // after draining
    QTest::addColumn<qint64>("retryAfterMs");
    QTest::newRow("50/s, empty") << 50 << 100 << qint64(0) << qint64(20);
    QTest::newRow("50/s, half a token") << 50 << 100 << qint64(10) << qint64(10);
    QTest::newRow("50/s, almost a token") << 50 << 100 << qint64(19) << qint64(1);
    QTest::newRow("3/s rounds up") << 3 << 3 << qint64(0) << qint64(334);
    QTest::newRow("3/s after 333 ms") << 3 << 3 << qint64(333) << qint64(1);
    QTest::newRow("1/s") << 1 << 1 << qint64(0) << qint64(1000);
    QTest::newRow("1/s after 999 ms") << 1 << 1 << qint64(999) << qint64(1);
    QTest::newRow("1000/s") << 1000 << 1 << qint64(0) << qint64(1);
    QTest::newRow("fast rate is still at least 1 ms") << 100000 << 1 << qint64(0) << qint64(1);
}

void TestTokenBucket::reportsRetryAfter()
{
    // SEC-2 rate_limited data {retry_after_ms}: ceil of the time until one token, >= 1.
    QFETCH(int, rate);
    QFETCH(int, burst);
    QFETCH(qint64, elapsedMs);
    QFETCH(qint64, retryAfterMs);
    TokenBucket bucket(rate, burst, kStartMs);
    QVERIFY(drain(bucket, burst, kStartMs));
    const auto retry = bucket.take(kStartMs + elapsedMs);
    QVERIFY(retry.has_value());
    QCOMPARE(*retry, retryAfterMs);
}

void TestTokenBucket::retryAfterIsEnough()
{
    // Waiting exactly retry_after_ms always yields a token, whatever the rate.
    for (const int rate : {1, 3, 7, 50, 333, 999, 1000, 4096}) {
        TokenBucket bucket(rate, 2, kStartMs);
        qint64 now = kStartMs;
        QVERIFY(drain(bucket, 2, now));
        for (int i = 0; i < 20; ++i) {
            // A fast rate refills several tokens in 1 ms: take them all first.
            std::optional<qint64> retry;
            for (int guard = 0; !retry && guard < 10000; ++guard)
                retry = bucket.take(now);
            QVERIFY2(retry.has_value(), qPrintable(QString::number(rate)));
            QVERIFY(*retry >= 1);
            now += *retry;
            QVERIFY2(!bucket.take(now).has_value(), qPrintable(QString::number(rate)));
        }
    }
}

void TestTokenBucket::ignoresAClockGoingBack()
{
    TokenBucket bucket(50, 100, kStartMs);
    QVERIFY(drain(bucket, 100, kStartMs));
    // A step back credits nothing, and the interval it covers is not credited again later.
    QCOMPARE(bucket.take(kStartMs - 5000), std::optional<qint64>(20));
    QCOMPARE(bucket.take(kStartMs + 10), std::optional<qint64>(10));
    QVERIFY(!bucket.take(kStartMs + 20).has_value());
}

void TestTokenBucket::setLimitsClampsAndChangesTheRate()
{
    TokenBucket bucket(50, 100, kStartMs);
    // A lower burst caps the tokens held.
    bucket.setLimits(50, 10);
    QVERIFY(drain(bucket, 10, kStartMs));
    QVERIFY(bucket.take(kStartMs).has_value());
    // A higher rate refills faster from then on: 1000/s is one token per ms.
    bucket.setLimits(1000, 10);
    QCOMPARE(bucket.take(kStartMs), std::optional<qint64>(1));
    QVERIFY(!bucket.take(kStartMs + 1).has_value());
    // Refill never passes the current burst.
    QVERIFY(drain(bucket, 10, kStartMs + 60000));
    QVERIFY(bucket.take(kStartMs + 60000).has_value());
}

void TestTokenBucket::setLimitsRaisingTheBurstAddsNothing()
{
    TokenBucket bucket(10, 5, kStartMs);
    QVERIFY(drain(bucket, 5, kStartMs));
    bucket.setLimits(10, 100);
    QCOMPARE(bucket.take(kStartMs), std::optional<qint64>(100));
    // The larger bucket fills at the rate: 10 tokens after a second.
    QVERIFY(drain(bucket, 10, kStartMs + 1000));
    QVERIFY(bucket.take(kStartMs + 1000).has_value());
    QVERIFY(drain(bucket, 100, kStartMs + 100000));
    QVERIFY(bucket.take(kStartMs + 100000).has_value());
}

QTEST_GUILESS_MAIN(TestTokenBucket)
#include "tst_tokenbucket.moc"
