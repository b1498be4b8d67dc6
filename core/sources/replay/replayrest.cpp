#include "core/sources/replay/replayrest.h"

#include "core/sources/replay/replayclock.h"
#include "core/sources/replay/replaycontext.h"
#include "core/sources/replay/replaycounters.h"
#include "core/sources/replay/replayfaults.h"
#include "core/sources/replay/replayfeed.h"
#include "core/sources/replay/replaykline.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <limits>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

constexpr qint64 kDefaultLimit = 500;
constexpr qint64 kNoEnd = std::numeric_limits<qint64>::max() / 4;

bool isKlines(const QString &path)
{
    return path == "/api/v3/klines"_L1 || path == "/fapi/v1/klines"_L1;
}

qint64 maxLimit(ReplayMarket market)
{
    return market == ReplayMarket::Spot ? 1000 : 1500;
}

ReplayHttpReply badParameter(int code, const QString &msg)
{
    return binanceError(400, code, msg);
}

/// A millisecond parameter: absent (nullopt in `*value`), or digits; false when malformed.
bool readTime(const QUrlQuery &query, const QString &name, std::optional<qint64> *value)
{
    if (!query.hasQueryItem(name))
        return true;
    bool ok = false;
    const QString text = query.queryItemValue(name, QUrl::FullyDecoded);
    const qint64 ms = text.toLongLong(&ok);
    if (!ok || ms < 0 || text.startsWith(u'+'))
        return false;
    *value = ms;
    return true;
}

ReplayHttpReply refusal(int status, int retryAfterS, const QString &msg)
{
    ReplayHttpReply reply = binanceError(status, -1003, msg);
    reply.headers.append({"Retry-After", QByteArray::number(retryAfterS)});
    return reply;
}

} // namespace

ReplayHttpReply binanceError(int status, int code, const QString &msg)
{
    return ReplayHttpReply::json(
        status, QJsonDocument(QJsonObject{{u"code"_s, code}, {u"msg"_s, msg}}).toJson(QJsonDocument::Compact));
}

ReplayRest::ReplayRest(ReplayContext &context)
    : m_context(context)
{
}

int ReplayRest::weight(const ReplayHttpRequest &request, ReplayMarket market)
{
    if (!isKlines(request.path))
        return 1;
    bool ok = false;
    const qint64 limit = request.query.queryItemValue(u"limit"_s).toLongLong(&ok);
    return ReplayWeights::klinesWeight(market, ok && limit > 0 ? limit : kDefaultLimit);
}

ReplayHttpReply ReplayRest::answer(const ReplayHttpRequest &request)
{
    const ReplayFaults::RestFault fault = m_context.faults.nextRestRequest();
    const ReplayMarket market = request.path.startsWith("/fapi/"_L1) ? ReplayMarket::Futures : ReplayMarket::Spot;
    const ReplayWeights::Charge charge
        = m_context.weights.charge(market, weight(request, market), m_context.faults.weights());
    ReplayHttpReply reply;
    if (charge.status == 418)
        reply = refusal(418, charge.retryAfterS, u"Way too much request weight used; IP banned for %1 s."_s.arg(
                                                     charge.retryAfterS));
    else if (charge.status == 429)
        reply = refusal(429, charge.retryAfterS, u"Too much request weight used; current limit is %1 request weight "
                                                 u"per 1 MINUTE."_s.arg(ReplayWeights::limit(
                                                     market, *m_context.faults.weights())));
    else if (fault.status == 429)
        reply = refusal(429, fault.retryAfterS, u"Too many requests; replay fault http429."_s);
    else if (fault.status != 0)
        reply = binanceError(fault.status, -1001, u"Internal error; replay fault http5xx."_s);
    else
        reply = route(request, market);
    reply.headers.append({"X-MBX-USED-WEIGHT-1m", QByteArray::number(charge.used)});
    if (fault.malformed) {
        reply.body.truncate(reply.body.size() / 2);
        ++m_context.counters.malformedReplies;
    }
    reply.delayMs = fault.delayMs;
    m_context.counters.countReply(reply.status);
    return reply;
}

ReplayHttpReply ReplayRest::route(const ReplayHttpRequest &request, ReplayMarket market) const
{
    const QString prefix = market == ReplayMarket::Spot ? u"/api/v3"_s : u"/fapi/v1"_s;
    const bool known = request.path == prefix + u"/klines"_s || request.path == prefix + u"/time"_s;
    if (!known)
        return ReplayHttpReply::text(404, u"path '%1': unknown; expected /api/v3/klines, /api/v3/time, "
                                          u"/fapi/v1/klines, /fapi/v1/time, /ws/<symbol>@kline_<interval> or "
                                          u"/_replay/state"_s.arg(request.path));
    if (request.method != "GET")
        return ReplayHttpReply::text(405, u"%1 %2: method not allowed; expected GET"_s.arg(
                                              QString::fromLatin1(request.method), request.path));
    return isKlines(request.path) ? klines(request, market) : serverTime();
}

ReplayHttpReply ReplayRest::klines(const ReplayHttpRequest &request, ReplayMarket market) const
{
    const QUrlQuery &query = request.query;
    const QString symbol = query.queryItemValue(u"symbol"_s, QUrl::FullyDecoded);
    const QString interval = query.queryItemValue(u"interval"_s, QUrl::FullyDecoded);
    for (const QString &name : {u"symbol"_s, u"interval"_s}) {
        if (query.queryItemValue(name).isEmpty())
            return badParameter(-1102, u"Mandatory parameter '%1' was not sent, was empty/null, or malformed."_s.arg(
                                           name));
    }
    const ReplayTape *tape = m_context.feed.tape(symbol);
    if (!tape)
        return badParameter(-1121, u"Invalid symbol."_s);
    const std::optional<qint64> tf = klineIntervalSeconds(interval);
    if (!tf)
        return badParameter(-1120, u"Invalid interval."_s);
    qint64 limit = kDefaultLimit;
    if (query.hasQueryItem(u"limit"_s)) {
        bool ok = false;
        limit = query.queryItemValue(u"limit"_s).toLongLong(&ok);
        if (!ok || limit < 1 || limit > maxLimit(market))
            return badParameter(-1130, u"Data sent for parameter 'limit' is not valid."_s);
    }
    std::optional<qint64> start;
    std::optional<qint64> end;
    for (const auto &[name, value] : {std::pair{u"startTime"_s, &start}, std::pair{u"endTime"_s, &end}}) {
        if (!readTime(query, name, value))
            return badParameter(-1100, u"Illegal characters found in parameter '%1'; legal range is "
                                       u"'^[0-9]{1,20}$'."_s.arg(name));
    }
    if (start && end && *start > *end)
        return badParameter(-1023, u"Start time is greater than end time."_s);
    const qint64 v = m_context.clock.nowMs();
    const qint64 to = end ? *end / 1000 : kNoEnd;
    const QList<ReplayBar> bars = start
        ? m_context.feed.forward(*tape, *tf, (*start + 999) / 1000, to, limit, v)
        : m_context.feed.newest(*tape, *tf, to, limit, v);
    QJsonArray rows;
    for (const ReplayBar &bar : bars)
        rows.append(klineRow(bar.candle, *tf));
    return ReplayHttpReply::json(200, QJsonDocument(rows).toJson(QJsonDocument::Compact));
}

ReplayHttpReply ReplayRest::serverTime() const
{
    const QJsonObject body{{u"serverTime"_s, m_context.clock.nowMs()}, {u"speed"_s, m_context.clock.speed()}};
    return ReplayHttpReply::json(200, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

} // namespace gapless::sources
