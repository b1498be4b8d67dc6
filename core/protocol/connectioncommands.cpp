// Connection: watches (PROTO-26) and commands (PROTO-8, SEC-2).
#include "core/protocol/connection.h"

#include "core/protocol/querycommands.h"
#include "core/protocol/serverframes.h"
#include "core/protocol/servercontext.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QPointer>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace gapless::protocol {

namespace {

// Internal request ids start with '#', which a client's request_id cannot contain.
constexpr QStringView kWatchHealthPrefix = u"#watch-health:";

// REP-10 `ws:PEER`: the peer's address and port; an IPv4-mapped address as plain IPv4.
QString originOf(const QWebSocket &socket)
{
    QHostAddress address = socket.peerAddress();
    bool mapped = false;
    if (const quint32 v4 = address.toIPv4Address(&mapped); mapped)
        address = QHostAddress(v4);
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol ? u"[%1]"_s.arg(address.toString())
                                                                             : address.toString();
    return u"ws:%1:%2"_s.arg(host).arg(socket.peerPort());
}

QJsonObject topicData(WatchTopic topic, const QString &seriesId)
{
    QJsonObject data{{u"topic"_s, watchTopicName(topic)}};
    if (!seriesId.isEmpty())
        data.insert(u"series_id"_s, seriesId);
    return data;
}

} // namespace

bool Connection::watches(WatchTopic topic, const QString &seriesId) const
{
    return std::any_of(m_watches.begin(), m_watches.end(), [&](const Watch &w) {
        return w.topic == topic && (w.seriesId.isEmpty() || seriesId.isEmpty() || w.seriesId == seriesId);
    });
}

void Connection::watch(const ClientFrame &frame)
{
    const Watch w{frame.topic, frame.hasSeries ? frame.series.toString() : QString()};
    if (!m_watches.contains(w))
        m_watches.append(w);
    switch (w.topic) {
    case WatchTopic::IngestErrors:
        m_pendingWatches.append(w);
        m_context.readers.next()->readOpenErrors(m_id, w.seriesId);
        return;
    case WatchTopic::Health: {
        QJsonObject args;
        if (!w.seriesId.isEmpty())
            args.insert(u"series_id"_s, w.seriesId);
        if (m_context.localCommand) {
            if (auto answer = m_context.localCommand(u"health"_s, args, std::nullopt)) {
                sendHealthSnapshot(w.seriesId, *answer ? CommandReply{true, **answer, {}}
                                                                   : CommandReply{false, {}, answer->error()});
                return;
            }
        }
        m_context.readers.next()->runQuery(m_id, kWatchHealthPrefix + w.seriesId, u"health"_s, args);
        return;
    }
    case WatchTopic::Jobs:
        if (m_context.jobsSnapshot) {
            m_context.jobsSnapshot(this, [this, w](const QList<QJsonObject> &items) {
                QList<OutFrame> out;
                for (const QJsonObject &fields : items) {
                    if (w.seriesId.isEmpty() || fields.value("series_id"_L1).toString() == w.seriesId)
                        out.append(serverframe::flat(MessageType::Job, fields));
                }
                const auto series = SeriesId::parse(w.seriesId);
                out.append(serverframe::system(u"watching"_s, series ? *series : SeriesId(), u"watching"_s,
                                               topicData(w.topic, w.seriesId)));
                sendAll(out);
            });
            return;
        }
        send(serverframe::system(u"watching"_s, frame.series, u"watching"_s, topicData(w.topic, w.seriesId)));
        return;
    default:
        send(serverframe::system(u"watching"_s, frame.series, u"watching"_s, topicData(w.topic, w.seriesId)));
        return;
    }
}

void Connection::unwatch(const ClientFrame &frame)
{
    const Watch w{frame.topic, frame.hasSeries ? frame.series.toString() : QString()};
    m_watches.removeAll(w);
    send(serverframe::system(u"unwatched"_s, frame.series, u"unwatched"_s, topicData(w.topic, w.seriesId)));
}

void Connection::finishOpenErrors(const QList<QJsonObject> &frames)
{
    if (m_pendingWatches.isEmpty())
        return;
    const Watch w = m_pendingWatches.takeFirst();
    QList<OutFrame> out;
    for (const QJsonObject &fields : frames)
        out.append(serverframe::flat(MessageType::IngestError, fields));
    const auto series = SeriesId::parse(w.seriesId);
    out.append(serverframe::system(u"watching"_s, series ? *series : SeriesId(), u"watching"_s,
                                   topicData(w.topic, w.seriesId)));
    sendAll(out);
}

void Connection::publishTopic(WatchTopic topic, const QString &seriesId, const QJsonObject &frame)
{
    if (watches(topic, seriesId)) {
        send(frame);
        checkSendBuffer();
    }
}

void Connection::publishFrame(const QJsonObject &frame)
{
    send(frame);
    checkSendBuffer();
}

void Connection::command(const ClientFrame &frame)
{
    if (const auto retryAfter = m_bucket.take(m_context.clock.nowMs())) {
        send(serverframe::failure(frame.requestId,
                                  {ErrorCode::RateLimited, u"command '%1': over %2 commands/s; expected a retry "
                                                           u"after %3 ms"_s.arg(frame.name)
                                                               .arg(m_context.settings.commandRate)
                                                               .arg(*retryAfter)},
                                  QJsonObject{{u"retry_after_ms"_s, double(*retryAfter)}}));
        return;
    }
    if (m_inFlight.contains(frame.requestId)) {
        send(serverframe::failure(frame.requestId, Error::conflict(u"request_id '%1': already in flight; expected a "
                                                                   u"new request_id"_s.arg(frame.requestId))));
        return;
    }
    if (!frame.args.isUndefined() && !frame.args.isObject()) {
        send(serverframe::failure(frame.requestId, Error::badRequest(gotExpected(u"args", frame.args, u"an object"))));
        return;
    }
    const QJsonObject args = frame.args.toObject();
    // Job and keyed commands go to the job system (IDEM-8); the core answers its own commands,
    // and `health` while it monitors (HLT-6); the readers answer the rest from the store.
    if (m_context.asyncCommand) {
        m_inFlight.insert(frame.requestId);
        auto replyLater = [self = QPointer<Connection>(this), requestId = frame.requestId](const CommandAnswer &a) {
            if (self && self->m_inFlight.remove(requestId))
                self->answer(requestId, a);
        };
        if (m_context.asyncCommand(frame.name, args, frame.idempotencyKey, originOf(*m_socket), replyLater))
            return;
        m_inFlight.remove(frame.requestId);
    }
    if (m_context.localCommand) {
        if (auto answer = m_context.localCommand(frame.name, args, frame.idempotencyKey)) {
            reply(frame.requestId, *answer);
            return;
        }
    }
    if (QueryCommands::handles(frame.name)) {
        m_inFlight.insert(frame.requestId);
        m_context.readers.next()->runQuery(m_id, frame.requestId, frame.name, args);
        return;
    }
    reply(frame.requestId,
          Error::badRequest(gotExpected(u"name", QJsonValue(frame.name),
                                        u"a command of PROTO §1.7 (series_list, candles, gaps, overlays, health, "
                                        u"flags_get, flags_set, backfill, verify, repair, retry_error, import, "
                                        u"review_list, review_resolve, job_cancel, jobs_list, idempotency_list, "
                                        u"idempotency_delete)")));
}

void Connection::answer(const QString &requestId, const CommandAnswer &a)
{
    QJsonObject frame = a.result ? serverframe::result(requestId, *a.result, a.replayed)
                                 : serverframe::failure(requestId, a.result.error(), a.errorData);
    if (!a.result && a.replayed)
        frame.insert(u"replayed"_s, true);
    send(frame);
    checkSendBuffer();
}

void Connection::reply(const QString &requestId, const Result<QJsonValue> &result)
{
    send(result ? serverframe::result(requestId, *result) : serverframe::failure(requestId, result.error()));
    checkSendBuffer();
}

void Connection::finishQuery(const QString &requestId, const CommandReply &answer)
{
    if (requestId.startsWith(kWatchHealthPrefix)) {
        sendHealthSnapshot(requestId.mid(kWatchHealthPrefix.size()), answer);
        return;
    }
    if (!m_inFlight.remove(requestId))
        return;
    reply(requestId, answer.ok ? Result<QJsonValue>(answer.data) : Result<QJsonValue>(answer.error));
}

void Connection::sendHealthSnapshot(const QString &seriesId, const CommandReply &answer)
{
    QList<OutFrame> out;
    if (answer.ok) {
        for (const QJsonValue &item : answer.data.toObject().value("series"_L1).toArray())
            out.append(serverframe::flat(MessageType::Health, item.toObject()));
    }
    const auto series = SeriesId::parse(seriesId);
    out.append(serverframe::system(u"watching"_s, series ? *series : SeriesId(), u"watching"_s,
                                   topicData(WatchTopic::Health, seriesId)));
    sendAll(out);
}

} // namespace gapless::protocol
