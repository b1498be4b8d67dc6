#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

namespace gapless::sources {

/// One HTTP/1.1 request as the replay exchange reads it: request line, headers (names
/// lower-cased) and a Content-Length body. No chunked bodies.
struct ReplayHttpRequest
{
    QByteArray method;
    QString path;
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool keepAlive = true; ///< HTTP/1.1 without `Connection: close`

    [[nodiscard]] QByteArray header(QByteArrayView lowerName) const;
    /// A WebSocket upgrade (`Upgrade: websocket`).
    [[nodiscard]] bool isUpgrade() const;
};

/// What the exchange answers.
struct ReplayHttpReply
{
    int status = 200;
    QByteArray contentType = "application/json;charset=UTF-8";
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    qint64 delayMs = 0; ///< latency fault: hold the reply this long

    [[nodiscard]] static ReplayHttpReply json(int status, const QByteArray &body);
    [[nodiscard]] static ReplayHttpReply text(int status, const QString &text);
};

/// The outcome of reading a request from the front of a byte buffer.
struct ReplayHttpParse
{
    enum State { Incomplete, Invalid, Complete };
    State state = Incomplete;
    ReplayHttpRequest request; ///< Complete
    qsizetype consumed = 0;    ///< Complete: bytes of the head and body
    int status = 0;            ///< Invalid: 400, 413 or 505
    QString problem;           ///< Invalid: `<problem>; expected <what>`
};

/// Reads the request at the front of `data`; heads above 16 KiB and bodies above 1 MiB are invalid.
[[nodiscard]] ReplayHttpParse parseHttpRequest(QByteArrayView data);

/// The response bytes: status line, Content-Type, Content-Length, the extra headers, and
/// `Connection: keep-alive` or `close`.
[[nodiscard]] QByteArray httpResponseBytes(const ReplayHttpReply &reply, bool keepAlive);

} // namespace gapless::sources
