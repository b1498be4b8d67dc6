#include "tests/support/frameclient.h"

#include "core/protocol/serverframes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QTest>

using namespace Qt::StringLiterals;

namespace gapless::test {

FrameClient::FrameClient(QObject *parent) : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        m_frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
    });
}

bool FrameClient::open(const QUrl &url, const QByteArray &token)
{
    QNetworkRequest request(url);
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    m_socket.open(request);
    return !waitFor([](const QJsonObject &f) { return f.value("type"_L1) == "hello"_L1; }).isEmpty();
}

void FrameClient::sendJson(const QJsonObject &frame)
{
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void FrameClient::sendText(const QString &text)
{
    m_socket.sendTextMessage(text);
}

void FrameClient::sendBinary(const QByteArray &data)
{
    m_socket.sendBinaryMessage(data);
}

QJsonObject FrameClient::waitFor(const std::function<bool(const QJsonObject &)> &match, int timeoutMs)
{
    QJsonObject found;
    (void)QTest::qWaitFor(
        [&] {
            for (; m_scanned < m_frames.size(); ++m_scanned) {
                if (match(m_frames.at(m_scanned))) {
                    found = m_frames.at(m_scanned++);
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

QJsonObject FrameClient::waitForSystem(const QString &event, const QString &seriesId, int timeoutMs)
{
    return waitFor(
        [&](const QJsonObject &f) {
            return f.value("type"_L1) == "system"_L1 && f.value("event"_L1).toString() == event
                   && (seriesId.isEmpty() || f.value("series_id"_L1).toString() == seriesId);
        },
        timeoutMs);
}

QList<QJsonObject> FrameClient::take()
{
    QList<QJsonObject> out = m_frames;
    m_frames.clear();
    m_scanned = 0;
    return out;
}

CandleList FrameClient::closedCandles(const QString &seriesId) const
{
    CandleList out;
    for (const QJsonObject &f : m_frames) {
        if (f.value("series_id"_L1).toString() != seriesId)
            continue;
        const QString type = f.value("type"_L1).toString();
        if (type == "candle_closed"_L1) {
            if (auto c = protocol::candleFromJson(f.value("candle"_L1)))
                out.append(*c);
        } else if (type == "candles_batch"_L1) {
            if (auto cs = protocol::candlesFromJson(f.value("candles"_L1)))
                out.append(*cs);
        }
    }
    return out;
}

QJsonObject subscribeFrame(const QString &seriesId, const QJsonValue &since, bool batch)
{
    QJsonObject frame{{u"type"_s, u"subscribe"_s}, {u"series_id"_s, seriesId}, {u"supports_batch"_s, batch}};
    if (!since.isUndefined())
        frame.insert(u"since"_s, since);
    return frame;
}

} // namespace gapless::test
