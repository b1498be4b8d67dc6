// UI-5: the chart's candle storage: contiguous chunks, sorted, unique, 48 bytes a candle.
#include "ui/chart/candlebuffer.h"

#include <QTest>

using namespace gapless;
using gapless::ui::CandleBuffer;

namespace {

Candle bar(qint64 time, double close = 1)
{
    return {time, close, close + 1, close - 1, close, 10};
}

CandleList bars(qint64 from, int count, qint64 step = 60)
{
    CandleList list;
    for (int i = 0; i < count; ++i)
        list.append(bar(from + i * step, double(i)));
    return list;
}

std::span<const Candle> span(const CandleList &list)
{
    return {list.constData(), size_t(list.size())};
}

QList<qint64> times(const CandleBuffer &buffer)
{
    QList<qint64> out;
    buffer.forRange(0, buffer.size(), [&out](const Candle &c, qsizetype) { out.append(c.time); });
    return out;
}

} // namespace

class TestCandleBuffer final : public QObject
{
    Q_OBJECT

private slots:
    void appendFillsChunks();
    void appendReplacesTheLastBar();
    void prependAddsAChunkOfOlderBarsOnly();
    void mergeInsertsInOrderAndReplaces();
    void lookupAcrossChunks();
    void rejectsUnorderedAndDuplicatePages();
    void memoryIsAbout48BytesACandle();
    void forRangeVisitsInOrder();
};

void TestCandleBuffer::appendFillsChunks()
{
    CandleBuffer buffer;
    for (const Candle &c : bars(0, int(CandleBuffer::kChunkCapacity) + 10))
        QVERIFY(buffer.appendOrReplace(c));
    QCOMPARE(buffer.size(), CandleBuffer::kChunkCapacity + 10);
    QCOMPARE(buffer.chunkCount(), 2);
    QCOMPARE(buffer.first().time, 0);
    QCOMPARE(buffer.last().time, (CandleBuffer::kChunkCapacity + 9) * 60);
}

void TestCandleBuffer::appendReplacesTheLastBar()
{
    // UI-13: a forming bar replaces the last slot; a newer one appends.
    CandleBuffer buffer;
    QVERIFY(buffer.appendOrReplace(bar(60, 1)));
    QVERIFY(!buffer.appendOrReplace(bar(60, 2)));
    QCOMPARE(buffer.size(), 1);
    QCOMPARE(buffer.last().close, 2.0);
    QVERIFY(buffer.appendOrReplace(bar(120, 3)));
    QCOMPARE(buffer.size(), 2);
}

void TestCandleBuffer::prependAddsAChunkOfOlderBarsOnly()
{
    CandleBuffer buffer;
    const CandleList live = bars(6000, 10);
    buffer.merge(span(live));
    // The page overlaps the held range by two bars: only the older ones are added.
    const CandleList page = bars(6000 - 5 * 60, 7);
    QCOMPARE(buffer.prepend(span(page)), 5);
    QCOMPARE(buffer.size(), 15);
    QCOMPARE(buffer.chunkCount(), 2);
    QCOMPARE(buffer.first().time, 6000 - 300);
    QCOMPARE(buffer.at(5).time, 6000);
    QCOMPARE(buffer.prepend(span(page)), 0); // nothing older: nothing added
    QCOMPARE(buffer.chunkCount(), 2);
}

void TestCandleBuffer::mergeInsertsInOrderAndReplaces()
{
    CandleBuffer buffer;
    buffer.merge(span(bars(0, 3, 120))); // 0, 120, 240
    const CandleList healed{bar(60, 7), bar(120, 8), bar(180, 9)};
    QCOMPARE(buffer.merge(span(healed)), 2);
    QCOMPARE(times(buffer), (QList<qint64>{0, 60, 120, 180, 240}));
    QCOMPARE(buffer.at(2).close, 8.0);
}

void TestCandleBuffer::lookupAcrossChunks()
{
    CandleBuffer buffer;
    buffer.merge(span(bars(100000, 100)));
    buffer.prepend(span(bars(100000 - 60 * 50, 50)));
    buffer.prepend(span(bars(100000 - 60 * 80, 30)));
    QCOMPARE(buffer.chunkCount(), 3);
    for (qsizetype i = 0; i < buffer.size(); ++i) {
        QCOMPARE(buffer.indexOf(buffer.at(i).time), i);
        QCOMPARE(buffer.lowerBound(buffer.at(i).time - 1), i);
    }
    QCOMPARE(buffer.indexOf(100000 + 30), -1);
    QCOMPARE(buffer.lowerBound(0), 0);
    QCOMPARE(buffer.lowerBound(100000 + 60 * 100), buffer.size());
}

void TestCandleBuffer::rejectsUnorderedAndDuplicatePages()
{
    CandleBuffer buffer;
    const CandleList page{bar(60), bar(60), bar(30), bar(120)};
    QCOMPARE(buffer.prepend(span(page)), 2); // 60 and 120; the repeat and the step back dropped
    QCOMPARE(times(buffer), (QList<qint64>{60, 120}));
}

void TestCandleBuffer::memoryIsAbout48BytesACandle()
{
    // PERF-2: ≤ 64 bytes a candle held at 1M.
    CandleBuffer buffer;
    for (int page = 0; page < 200; ++page)
        buffer.prepend(span(bars(qint64(1000 - page) * 5000 * 60, 5000)));
    for (const Candle &c : bars(qint64(1001) * 5000 * 60, 1000))
        buffer.appendOrReplace(c);
    QCOMPARE(buffer.size(), 1001000);
    const double perCandle = double(buffer.memoryBytes()) / double(buffer.size());
    QVERIFY2(perCandle >= 48 && perCandle <= 64, qPrintable(QString::number(perCandle)));
}

void TestCandleBuffer::forRangeVisitsInOrder()
{
    CandleBuffer buffer;
    buffer.merge(span(bars(6000, 10)));
    buffer.prepend(span(bars(6000 - 600, 10)));
    QList<qsizetype> indexes;
    QList<qint64> seen;
    buffer.forRange(7, 13, [&](const Candle &c, qsizetype i) {
        indexes.append(i);
        seen.append(c.time);
    });
    QCOMPARE(indexes, (QList<qsizetype>{7, 8, 9, 10, 11, 12}));
    QCOMPARE(seen.constFirst(), 6000 - 180);
    QCOMPARE(seen.constLast(), 6000 + 120);
}

QTEST_GUILESS_MAIN(TestCandleBuffer)
#include "tst_candlebuffer.moc"
