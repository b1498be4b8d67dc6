#include "core/repair/sourcefetcher.h"

#include "core/ingest/filevalidation.h"
#include "core/sources/binance/binancerestclient.h"
#include "core/sources/candlefile.h"
#include "core/sources/fileformat.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QHash>

using namespace Qt::StringLiterals;

namespace gapless::repair {

namespace {

constexpr qsizetype kRejectedMessages = 10;

bool inSpans(const QList<DaySpan> &spans, qint64 t)
{
    return std::any_of(spans.cbegin(), spans.cend(), [t](const DaySpan &s) { return t >= s.from && t < s.to; });
}

} // namespace

SourceFetcher::SourceFetcher(sources::BinanceRestClient *rest, const Clock &clock)
    : m_rest(rest)
    , m_clock(clock)
{
}

Result<SourceRows> SourceFetcher::fetch(const SeriesId &series, const SourceSpec &source, const QList<DaySpan> &spans)
{
    if (source.isFile)
        return fetchFile(series, source.path, spans);
    if (!m_rest)
        return Error::unavailable(u"source exchange: no REST client; expected a core with network access"_s);
    QList<DaySpan> merged; // adjacent days in one range fetch
    for (const DaySpan &span : spans) {
        if (!merged.isEmpty() && merged.last().to == span.from)
            merged.last().to = span.to;
        else
            merged.append(span);
    }
    SourceRows out;
    for (const DaySpan &span : merged) {
        auto rows = fetchExchange(series, span);
        if (!rows)
            return rows.error();
        out.rows += *rows;
    }
    return out;
}

Result<SourceRows> SourceFetcher::fetchFile(const SeriesId &series, const QString &path, const QList<DaySpan> &spans)
{
    if (!QFileInfo(path).isFile())
        return Error::notFound(u"source file:%1: no such file; expected a readable candle file"_s.arg(path));
    auto format = sources::detectFormat(path, {});
    if (!format)
        return Error::badRequest(u"source file:"_s + format.error().message);
    auto parsed = sources::readCandleFile(path, *format);
    if (!parsed)
        return Error::badRequest(u"source file:"_s + parsed.error().message);
    const ingest::ValidationRules rules{series.timeframe(), m_clock.nowSeconds(), false};
    const ingest::FileValidation checked = ingest::validateFile(*parsed, rules);
    SourceRows out;
    out.rows.reserve(checked.accepted.size());
    for (const Candle &c : checked.accepted) {
        if (inSpans(spans, c.time))
            out.rows.append(c);
    }
    out.rejected = checked.rejected.size();
    for (qsizetype i = 0; i < std::min(kRejectedMessages, checked.rejected.size()); ++i)
        out.rejectedMessages.append(ingest::rejectedMessage(path, checked.rejected.at(i)));
    return out;
}

Result<CandleList> SourceFetcher::fetchExchange(const SeriesId &series, const DaySpan &span)
{
    const qint64 last = series.timeframe().floor(span.to - 1);
    if (last < span.from)
        return CandleList{};
    // Windows and the end are collected by request id, so an answer given before fetchRange()
    // returns is not lost.
    QEventLoop loop;
    QHash<quint64, CandleList> rows;
    QHash<quint64, QStringList> finished;
    std::optional<quint64> request;
    const auto window = QObject::connect(m_rest, &sources::BinanceRestClient::windowFetched, &loop,
                                         [&](const sources::RestWindowResult &w) { rows[w.request] += w.candles; });
    const auto done = QObject::connect(m_rest, &sources::BinanceRestClient::rangeFinished, &loop,
                                       [&](quint64 id, const QStringList &e) {
                                           finished.insert(id, e);
                                           if (request && id == *request)
                                               loop.quit();
                                       });
    request = m_rest->fetchRange(series, span.from, last);
    if (!finished.contains(*request))
        loop.exec();
    QObject::disconnect(window);
    QObject::disconnect(done);
    const QStringList errors = finished.value(*request);
    CandleList got = rows.value(*request);
    if (!errors.isEmpty())
        return Error::unavailable(u"source exchange for %1 [%2, %3): %4"_s.arg(series.toString()).arg(span.from).arg(
            span.to).arg(errors.join(u"; "_s)));
    std::sort(got.begin(), got.end(), [](const Candle &a, const Candle &b) { return a.time < b.time; });
    return got;
}

} // namespace gapless::repair
