#pragma once

#include "core/domain/candle.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QUrl>
#include <QWebSocket>

#include <functional>

namespace gapless::test {

/// A bare WebSocket client that records every server frame as JSON, for tests that check
/// the exact frames (protocol::Client hides them).
class FrameClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FrameClient)
public:
    explicit FrameClient(QObject *parent = nullptr);

    /// Opens `url` and waits for `hello`; false if it did not come.
    [[nodiscard]] bool open(const QUrl &url, const QByteArray &token = {});
    void sendJson(const QJsonObject &frame);
    void sendText(const QString &text);
    void sendBinary(const QByteArray &data);
    /// Waits until a frame satisfies `match` (looking at frames not yet consumed) and returns
    /// it; an empty object after `timeoutMs`. Frames before it stay for frames().
    QJsonObject waitFor(const std::function<bool(const QJsonObject &)> &match, int timeoutMs = 10000);
    /// Waits for `system` `event` (for `series_id` when given).
    QJsonObject waitForSystem(const QString &event, const QString &seriesId = {}, int timeoutMs = 10000);
    [[nodiscard]] const QList<QJsonObject> &frames() const { return m_frames; }
    /// Frames received since the last take, and forgets them.
    QList<QJsonObject> take();
    /// The closed candles received for a series (candle_closed and candles_batch), in order.
    [[nodiscard]] CandleList closedCandles(const QString &seriesId) const;
    [[nodiscard]] QWebSocket &socket() { return m_socket; }

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_frames;
    qsizetype m_scanned = 0;
};

[[nodiscard]] QJsonObject subscribeFrame(const QString &seriesId, const QJsonValue &since, bool batch);

} // namespace gapless::test
