#include "tests/support/replayfixture.h"

#include "core/domain/numberformat.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gapless::test {

namespace {

QString text(double value)
{
    return QString::fromLatin1(formatNumber(value));
}

QString show(const QJsonValue &value)
{
    return value.isString() ? value.toString() : value.toVariant().toString();
}

} // namespace

Candle formingAt(const Candle &row, double p)
{
    Candle c = row;
    c.close = row.open + (row.close - row.open) * p;
    c.high = std::max(row.open, c.close) + (row.high - std::max(row.open, row.close)) * p;
    c.low = std::min(row.open, c.close) - (std::min(row.open, row.close) - row.low) * p;
    c.volume = row.volume * p;
    return c;
}

Candle contiguousBar(const CandleList &rows, qint64 ordinal)
{
    const qint64 n = rows.size();
    Candle c = rows.at(((ordinal - 1) % n + n) % n);
    c.time = kReplayT0 + 60 * (ordinal - 1);
    return c;
}

QString restRowMismatch(const QJsonValue &value, const Candle &bar, qint64 tf)
{
    const QJsonArray row = value.toArray();
    const QJsonArray expected{bar.time * 1000, text(bar.open), text(bar.high), text(bar.low), text(bar.close),
                              text(bar.volume), (bar.time + tf) * 1000 - 1};
    if (row.size() != 12 || row.at(11).toString() != "0"_L1 || !row.at(8).isDouble())
        return u"row shape %1"_s.arg(QString::fromUtf8(QJsonDocument(row).toJson(QJsonDocument::Compact)));
    for (qsizetype i = 0; i < expected.size(); ++i) {
        if (row.at(i) != expected.at(i))
            return u"row %1 field %2: got %3; expected %4"_s.arg(bar.time).arg(i).arg(show(row.at(i)),
                                                                                    show(expected.at(i)));
    }
    return {};
}

QString streamBarMismatch(const QJsonObject &k, const Candle &bar, qint64 tf, bool closed)
{
    const QJsonObject expected{{u"t"_s, bar.time * 1000}, {u"T"_s, (bar.time + tf) * 1000 - 1},
                               {u"o"_s, text(bar.open)},  {u"h"_s, text(bar.high)},
                               {u"l"_s, text(bar.low)},   {u"c"_s, text(bar.close)},
                               {u"v"_s, text(bar.volume)}, {u"x"_s, closed}};
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        if (k.value(it.key()) != it.value())
            return u"%1: got %2; expected %3"_s.arg(it.key(), show(k.value(it.key())), show(it.value()));
    }
    return {};
}

bool ReplayFixture::start(const QList<sources::ReplaySymbol> &symbols, const QString &faults,
                          sources::ReplayOptions options)
{
    const Result<QList<sources::ReplayFaultItem>> items = sources::parseReplayFaults(faults, u"--faults"_s);
    if (!items) {
        qWarning("%s", qPrintable(items.error().message));
        return false;
    }
    options.faults = *items;
    options.tickIntervalMs = -1;
    m_exchange = std::make_unique<sources::ReplayExchange>(m_wall, symbols, options);
    const Result<QUrl> url = m_exchange->listen();
    if (!url)
        qWarning("%s", qPrintable(url.error().message));
    return url.ok();
}

void ReplayFixture::stop()
{
    m_exchange.reset();
    m_wall.setNowMs(kReplayW0);
}

QUrl ReplayFixture::url(const QString &pathAndQuery) const
{
    return QUrl(m_exchange->url().toString() + pathAndQuery);
}

void ReplayFixture::setWall(qint64 offsetMs)
{
    m_wall.setNowMs(kReplayW0 + offsetMs);
    m_exchange->tick();
}

} // namespace gapless::test
