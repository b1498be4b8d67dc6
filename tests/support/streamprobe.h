#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QUrl>
#include <QWebSocket>

namespace gapless::test {

/// A WebSocket client for tests: opens a stream on 127.0.0.1 (no proxy) and keeps every text
/// message it receives, in order.
class StreamProbe
{
public:
    StreamProbe();

    /// Opens `url` and waits up to 5 s; false if the upgrade was refused or failed.
    [[nodiscard]] bool open(const QUrl &url);
    [[nodiscard]] QWebSocket &socket() { return m_socket; }
    [[nodiscard]] bool isClosed() const { return m_closed; }
    [[nodiscard]] const QList<QByteArray> &messages() const { return m_messages; }
    /// The messages that are kline events, parsed.
    [[nodiscard]] QList<QJsonObject> klines() const;
    /// The `k` objects of the kline events with `x` = `closed`.
    [[nodiscard]] QList<QJsonObject> bars(bool closed) const;

private:
    QWebSocket m_socket;
    QList<QByteArray> m_messages;
    bool m_closed = false;
    bool m_failed = false;
};

} // namespace gapless::test
