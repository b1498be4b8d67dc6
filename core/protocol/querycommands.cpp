#include "core/protocol/querycommands.h"

#include "core/ingest/errorjournal.h"
#include "core/ingest/overlaytables.h"
#include "core/protocol/clientframe.h"
#include "core/protocol/commandargs.h"
#include "core/protocol/healthfields.h"
#include "core/protocol/serverframes.h"
#include "core/store/candlestore.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <iterator>
#include <limits>

using namespace Qt::StringLiterals;

namespace gapless::protocol {

namespace {

constexpr qint64 kMaxCandlesLimit = 5000;
constexpr qint64 kDefaultCandlesLimit = 1000;
constexpr qint64 kMaxGapsLimit = 100000;
constexpr qint64 kDefaultGapsLimit = 10000;
constexpr qint64 kMaxOverlaysLimit = 5000;
constexpr int kMaxOpenErrors = 200;

constexpr QStringView kCommandNames[] = {u"series_list", u"candles", u"gaps", u"overlays", u"health"};

QJsonValue optionalInteger(std::optional<qint64> value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

/// Cuts a page read with one row too many down to `limit` rows, keeping the newest rows when
/// the read went backwards; true if a row was cut, i.e. more rows lie beyond the page.
bool cutPage(CandleList &rows, qint64 limit, bool keepNewest)
{
    if (rows.size() <= limit)
        return false;
    if (keepNewest)
        rows.remove(0, rows.size() - limit);
    else
        rows.resize(limit);
    return true;
}

Result<QJsonValue> defValue(const ingest::OverlayVersion &version, const SeriesId &series)
{
    // Wrapped in an array so that any JSON value parses, `null` (a removal) included.
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + version.defJson + ']', &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
        return Error::internal(u"overlay version %1 of '%2': def_json is not valid JSON (%3); expected the JSON it "
                               u"was written with"_s.arg(QString::number(version.versionId), series.toString(),
                                                         error.errorString()));
    return doc.array().first();
}

} // namespace

QueryCommands::QueryCommands(store::CandleStore &store, const Clock &clock, const HealthSettings &health)
    : m_store(store)
    , m_clock(clock)
    , m_health(health)
{
}

bool QueryCommands::handles(QStringView name)
{
    return std::find(std::begin(kCommandNames), std::end(kCommandNames), name) != std::end(kCommandNames);
}

Result<QJsonValue> QueryCommands::run(const QString &name, const QJsonObject &args)
{
    if (name == "series_list"_L1)
        return seriesList();
    if (name == "candles"_L1)
        return candles(args);
    if (name == "gaps"_L1)
        return gaps(args);
    if (name == "overlays"_L1)
        return overlays(args);
    if (name == "health"_L1)
        return health(args);
    return Error::badRequest(
        gotExpected(u"name", QJsonValue(name), u"series_list, candles, gaps, overlays or health"));
}

Result<void> QueryCommands::requireKnown(const SeriesId &series)
{
    auto known = m_store.hasSeries(series);
    if (!known)
        return known.error();
    if (!*known)
        return Error::notFound(
            u"series_id '%1': unknown series; expected one of series_list"_s.arg(series.toString()));
    return {};
}

Result<QJsonValue> QueryCommands::seriesList()
{
    auto list = m_store.seriesList();
    if (!list)
        return list.error();
    QJsonArray series;
    for (const store::SeriesInfo &info : std::as_const(*list)) {
        series.append(QJsonObject{{u"series_id"_s, info.id.toString()},
                                  {u"first_time"_s, optionalInteger(info.firstTime)},
                                  {u"head_time"_s, optionalInteger(info.headTime)},
                                  {u"count"_s, info.count},
                                  {u"live"_s, false},
                                  {u"source"_s, QJsonValue(QJsonValue::Null)}});
    }
    return QJsonValue(QJsonObject{{u"series"_s, series}});
}

Result<QJsonValue> QueryCommands::candles(const QJsonObject &args)
{
    auto series = seriesArg(args);
    if (!series)
        return series.error();
    auto before = optionalIntegerArg(args, "before"_L1, 0, kMaxJsonInteger);
    if (!before)
        return before.error();
    auto after = optionalIntegerArg(args, "after"_L1, 0, kMaxJsonInteger);
    if (!after)
        return after.error();
    auto limit = integerArg(args, "limit"_L1, 1, kMaxCandlesLimit, kDefaultCandlesLimit);
    if (!limit)
        return limit.error();
    if (*before && *after && **before <= **after)
        return Error::badRequest(gotExpected(u"before", args.value("before"_L1),
                                             u"an integer greater than after (%1)"_s.arg(**after)));
    if (auto ok = requireKnown(*series); !ok)
        return ok.error();

    // One row more than the page tells whether more lie beyond it in the read's direction.
    const qint64 n = *limit + 1;
    const bool backwards = !*after;
    Result<CandleList> rows = CandleList();
    if (*before && *after)
        rows = m_store.range(*series, **after + 1, **before - 1, n);
    else if (*after)
        rows = m_store.after(*series, **after, n);
    else if (*before)
        rows = m_store.before(*series, **before, n);
    else
        rows = m_store.tail(*series, n);
    if (!rows)
        return rows.error();
    const bool hasMore = cutPage(*rows, *limit, backwards);
    return QJsonValue(QJsonObject{{u"series_id"_s, series->toString()},
                       {u"candles"_s, serverframe::candlesJson(rows->constData(), rows->size())},
                       {u"has_more"_s, hasMore}});
}

Result<QJsonValue> QueryCommands::gaps(const QJsonObject &args)
{
    auto series = seriesArg(args);
    if (!series)
        return series.error();
    auto from = optionalIntegerArg(args, "from"_L1, 0, kMaxJsonInteger);
    if (!from)
        return from.error();
    auto to = optionalIntegerArg(args, "to"_L1, 0, kMaxJsonInteger);
    if (!to)
        return to.error();
    auto limit = integerArg(args, "limit"_L1, 1, kMaxGapsLimit, kDefaultGapsLimit);
    if (!limit)
        return limit.error();
    if (*from && *to && **to < **from)
        return Error::badRequest(
            gotExpected(u"to", args.value("to"_L1), u"an integer >= from (%1)"_s.arg(**from)));
    if (auto ok = requireKnown(*series); !ok)
        return ok.error();

    auto report = m_store.gaps(*series, from->value_or(0), to->value_or(std::numeric_limits<qint64>::max()));
    if (!report)
        return report.error();
    qint64 missingTotal = 0;
    QJsonArray gaps;
    for (const Gap &gap : std::as_const(report->gaps)) {
        missingTotal += gap.missingBars;
        if (gaps.size() < *limit)
            gaps.append(QJsonObject{{u"prev_time"_s, gap.prevTime},
                                    {u"next_time"_s, gap.nextTime},
                                    {u"missing_bars"_s, gap.missingBars}});
    }
    return QJsonValue(QJsonObject{{u"series_id"_s, series->toString()},
                       {u"timeframe_seconds"_s, series->timeframe().seconds()},
                       {u"rows"_s, report->rows},
                       {u"first_time"_s, optionalInteger(report->firstTime)},
                       {u"last_time"_s, optionalInteger(report->lastTime)},
                       {u"gap_count"_s, qint64(report->gaps.size())},
                       {u"missing_bars_total"_s, missingTotal},
                       {u"gaps"_s, gaps},
                       {u"truncated"_s, report->gaps.size() > *limit}});
}

Result<QJsonValue> QueryCommands::overlays(const QJsonObject &args)
{
    auto series = seriesArg(args);
    if (!series)
        return series.error();
    auto cursor = integerArg(args, "cursor"_L1, 0, kMaxJsonInteger, 0);
    if (!cursor)
        return cursor.error();
    auto limit = integerArg(args, "limit"_L1, 1, kMaxOverlaysLimit, kMaxOverlaysLimit);
    if (!limit)
        return limit.error();
    if (auto ok = requireKnown(*series); !ok)
        return ok.error();

    ingest::OverlayTables tables(m_store);
    auto delta = tables.delta(*series, *cursor, int(*limit));
    if (!delta)
        return delta.error();
    QJsonArray items;
    for (const ingest::OverlayVersion &version : std::as_const(delta->items)) {
        auto def = defValue(version, *series);
        if (!def)
            return def.error();
        items.append(QJsonObject{{u"version_id"_s, version.versionId},
                                 {u"instruction_id"_s, version.instructionId},
                                 {u"kind"_s, version.kind},
                                 {u"visible_time"_s, version.visibleTime},
                                 {u"def"_s, *def}});
    }
    return QJsonValue(QJsonObject{
        {u"items"_s, items}, {u"next_cursor"_s, delta->nextCursor}, {u"has_more"_s, delta->hasMore}});
}

Result<QJsonValue> QueryCommands::health(const QJsonObject &args)
{
    auto filter = optionalSeriesArg(args);
    if (!filter)
        return filter.error();
    QList<std::pair<SeriesId, std::optional<qint64>>> heads;
    if (*filter) {
        if (auto ok = requireKnown(**filter); !ok)
            return ok.error();
        auto head = m_store.headTime(**filter);
        if (!head)
            return head.error();
        heads.append({**filter, *head});
    } else {
        auto list = m_store.seriesList();
        if (!list)
            return list.error();
        for (const store::SeriesInfo &info : std::as_const(*list))
            heads.append({info.id, info.headTime});
    }
    auto openErrors = openErrorCounts(m_store, *filter);
    if (!openErrors)
        return openErrors.error();

    const qint64 now = m_clock.nowSeconds();
    QJsonArray series;
    for (const auto &[id, head] : std::as_const(heads))
        series.append(notLiveHealth(id, now, head, m_health, openErrors->value(id.toString(), 0)));
    return QJsonValue(QJsonObject{{u"now"_s, now},
                       {u"series"_s, series},
                       {u"startup_sync"_s, QJsonValue(QJsonValue::Null)},
                       {u"sources"_s, QJsonArray()},
                       {u"counters"_s, QJsonObject()}});
}

Result<QList<QJsonObject>> QueryCommands::openIngestErrors(const QString &seriesFilter)
{
    ingest::JournalFilter filter;
    filter.status = u"open"_s;
    filter.limit = kMaxOpenErrors;
    if (!seriesFilter.isEmpty()) {
        auto id = optionalSeriesArg(QJsonObject{{u"series_id"_s, seriesFilter}});
        if (!id)
            return id.error();
        filter.seriesId = (*id)->toString();
    }
    ingest::ErrorJournal journal(m_store);
    auto entries = journal.list(filter);
    if (!entries)
        return entries.error();
    QList<QJsonObject> out;
    out.reserve(entries->size());
    for (const ingest::JournalEntry &entry : std::as_const(*entries))
        out.append(entry.toJson(false));
    return out;
}

} // namespace gapless::protocol
