#include "app/commands/gapscommand.h"

#include "app/commandline.h"
#include "app/storeaccess.h"
#include "core/domain/candlevalidator.h"
#include "core/domain/gaps.h"
#include "core/ingest/filevalidation.h"
#include "core/sources/candlefile.h"
#include "core/sources/fileformat.h"

#include <QDateTime>
#include <QJsonArray>

#include <limits>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

const QString kSynopsis =
    u"gaps (--series ID | FILE --timeframe TF [--format csv|freqtrade]) [--from T] [--to T] [--anomalies]"_s;
constexpr qint64 kPageRows = 100000;

/// What both modes report (CLI-11).
struct GapListing
{
    QString subjectKey;   ///< "file" or "series_id"
    QString subject;
    qint64 timeframe = 0;
    qint64 rows = 0;
    std::optional<qint64> firstTime;
    std::optional<qint64> lastTime;
    QList<Gap> gaps;
    qint64 missingTotal = 0;
    bool withAnomalies = false;
    QList<ingest::AnomalyRow> anomalies;
    QList<sources::LineError> errors;
};

QString iso(qint64 t)
{
    return QDateTime::fromSecsSinceEpoch(t, Qt::UTC).toString(Qt::ISODate);
}

QJsonValue optionalTime(std::optional<qint64> t)
{
    return t ? QJsonValue(*t) : QJsonValue(QJsonValue::Null);
}

void print(const Output &out, const GapListing &l)
{
    if (out.json()) {
        QJsonArray gaps;
        for (const Gap &g : l.gaps)
            gaps.append(QJsonObject{{u"prev_time"_s, g.prevTime}, {u"next_time"_s, g.nextTime},
                                    {u"missing_bars"_s, g.missingBars}});
        QJsonArray errors;
        for (const sources::LineError &e : l.errors)
            errors.append(QJsonObject{{u"line"_s, e.line}, {u"message"_s, u"%1:%2: %3: %4"_s.arg(l.subject).arg(e.line).arg(e.reason, e.detail)}});
        QJsonObject doc{{l.subjectKey, l.subject},
                        {u"timeframe_seconds"_s, l.timeframe},
                        {u"rows"_s, l.rows},
                        {u"first_time"_s, optionalTime(l.firstTime)},
                        {u"last_time"_s, optionalTime(l.lastTime)},
                        {u"gap_count"_s, l.gaps.size()},
                        {u"missing_bars_total"_s, l.missingTotal},
                        {u"gaps"_s, gaps},
                        {u"errors"_s, errors}};
        if (l.withAnomalies) {
            QJsonArray anomalies;
            for (const ingest::AnomalyRow &a : l.anomalies)
                anomalies.append(QJsonObject{{u"line"_s, a.line ? QJsonValue(*a.line) : QJsonValue(QJsonValue::Null)},
                                             {u"time"_s, a.time},
                                             {u"kind"_s, anomalyKindName(a.kind)}});
            doc.insert(u"anomalies"_s, anomalies);
        }
        out.document(doc);
        return;
    }
    for (const sources::LineError &e : l.errors)
        out.warning(u"%1:%2: %3: %4"_s.arg(l.subject).arg(e.line).arg(e.reason, e.detail));
    out.line(u"# %1: %2 rows, first %3, last %4, %5 gaps, %6 missing bars"_s.arg(
        l.subject, QString::number(l.rows), l.firstTime ? iso(*l.firstTime) : u"-"_s,
        l.lastTime ? iso(*l.lastTime) : u"-"_s, QString::number(l.gaps.size()), QString::number(l.missingTotal)));
    out.line(u"prev_time\tnext_time\tmissing_bars\tprev_iso\tnext_iso"_s);
    for (const Gap &g : l.gaps)
        out.line(u"%1\t%2\t%3\t%4\t%5"_s.arg(g.prevTime).arg(g.nextTime).arg(g.missingBars).arg(iso(g.prevTime), iso(g.nextTime)));
    if (!l.withAnomalies)
        return;
    out.line(u"line\ttime\tkind"_s);
    for (const ingest::AnomalyRow &a : l.anomalies)
        out.line(u"%1\t%2\t%3"_s.arg(a.line ? QString::number(*a.line) : u"-"_s).arg(a.time).arg(anomalyKindName(a.kind)));
}

Result<GapListing> listFile(const CommandLine &cl, qint64 from, qint64 to)
{
    const QString path = cl.positional().constFirst();
    auto tfText = cl.required(u"timeframe"_s);
    if (!tfText)
        return tfText.error();
    auto tf = Timeframe::parse(*tfText);
    if (!tf)
        return cl.usage(tf.error().message);
    auto format = sources::detectFormat(path, cl.value(u"format"_s));
    if (!format)
        return cl.usage(format.error().message);
    auto parsed = sources::readCandleFile(path, *format);
    if (!parsed) {
        Error e = parsed.error();
        e.code = ErrorCode::Unavailable; // the file itself is bad: a runtime failure, exit 1
        return e;
    }
    GapListing l;
    l.subjectKey = u"file"_s;
    l.subject = path;
    l.timeframe = tf->seconds();
    l.withAnomalies = cl.isSet(u"anomalies"_s);
    l.errors = parsed->errors;
    // Every parsed row, reject kinds included, in file order (CLI-11).
    GapScanner scanner(*tf);
    SequenceValidator validator(*tf);
    for (const sources::ParsedRow &row : std::as_const(parsed->rows)) {
        if (row.candle.time < from || row.candle.time > to)
            continue;
        scanner.add(row.candle.time);
        if (l.withAnomalies) {
            for (const AnomalyKind kind : validator.check(row.candle))
                l.anomalies.append(ingest::AnomalyRow{row.line, row.candle.time, kind});
        }
    }
    l.rows = scanner.rowCount();
    l.firstTime = scanner.firstTime();
    l.lastTime = scanner.lastTime();
    l.gaps = scanner.gaps();
    l.missingTotal = scanner.missingBarsTotal();
    return l;
}

Result<GapListing> listSeries(const CommandContext &ctx, const SeriesId &series, bool withAnomalies, qint64 from,
                              qint64 to)
{
    auto store = openReadOnlyStore(ctx);
    if (!store)
        return store.error();
    auto report = (*store)->gaps(series, from, to);
    if (!report)
        return report.error();
    GapListing l;
    l.subjectKey = u"series_id"_s;
    l.subject = series.toString();
    l.timeframe = series.timeframe().seconds();
    l.rows = report->rows;
    l.firstTime = report->firstTime;
    l.lastTime = report->lastTime;
    l.gaps = report->gaps;
    for (const Gap &g : std::as_const(l.gaps))
        l.missingTotal += g.missingBars;
    l.withAnomalies = withAnomalies;
    if (!withAnomalies)
        return l;
    SequenceValidator validator(series.timeframe());
    qint64 cursor = from;
    for (;;) {
        auto page = (*store)->range(series, cursor, to, kPageRows);
        if (!page)
            return page.error();
        for (const Candle &c : std::as_const(*page)) {
            for (const AnomalyKind kind : validator.check(c))
                l.anomalies.append(ingest::AnomalyRow{std::nullopt, c.time, kind});
        }
        if (page->size() < kPageRows)
            break;
        cursor = page->constLast().time + 1;
    }
    return l;
}

} // namespace

int runGaps(const CommandContext &ctx)
{
    CommandLine cl(u"gaps"_s, kSynopsis);
    cl.addOption({u"series"_s}, u"Stored series id"_s, u"ID"_s);
    cl.addOption({u"timeframe"_s}, u"Timeframe of FILE"_s, u"TF"_s);
    cl.addOption({u"format"_s}, u"csv or freqtrade"_s, u"FORMAT"_s);
    cl.addOption({u"from"_s}, u"First time (s or ISO-8601)"_s, u"T"_s);
    cl.addOption({u"to"_s}, u"Last time (s or ISO-8601)"_s, u"T"_s);
    cl.addOption({u"anomalies"_s}, u"Also list anomalies"_s);
    if (auto ok = cl.parse(ctx.options.arguments); !ok)
        return ctx.out.fail(ok.error(), ExitUsage);
    const bool fileMode = !cl.positional().isEmpty();
    if (fileMode == cl.isSet(u"series"_s) || cl.positional().size() > 1)
        return ctx.out.fail(cl.usage(u"give either --series or one FILE"_s), ExitUsage);
    qint64 from = std::numeric_limits<qint64>::min();
    qint64 to = std::numeric_limits<qint64>::max();
    if (cl.isSet(u"from"_s)) {
        auto t = parseTimeArgument(u"--from"_s, cl.value(u"from"_s));
        if (!t)
            return ctx.out.fail(t.error(), ExitUsage);
        from = *t;
    }
    if (cl.isSet(u"to"_s)) {
        auto t = parseTimeArgument(u"--to"_s, cl.value(u"to"_s));
        if (!t)
            return ctx.out.fail(t.error(), ExitUsage);
        to = *t;
    }

    Result<GapListing> listing = GapListing{};
    if (fileMode) {
        listing = listFile(cl, from, to);
    } else {
        auto series = SeriesId::parse(cl.value(u"series"_s));
        if (!series)
            return ctx.out.fail(series.error(), ExitUsage);
        listing = listSeries(ctx, *series, cl.isSet(u"anomalies"_s), from, to);
    }
    if (!listing)
        return ctx.out.fail(listing.error(), listing.error().code == ErrorCode::BadRequest && !fileMode ? ExitFailure
                                             : listing.error().code == ErrorCode::BadRequest ? ExitUsage
                                                                                              : ExitFailure);
    print(ctx.out, *listing);
    return listing->errors.isEmpty() ? ExitOk : ExitProblems;
}

} // namespace gapless::app
