#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace gapless::protocol {

/// What the server answers a WebSocket upgrade request before Qt sees it (PROTO-27, SEC-1/2).
struct HandshakeVerdict
{
    int status = 0;       ///< 0: hand over to the WebSocket server; else the HTTP status to answer
    QString reason;       ///< for the log and the response body
};

/// The request head (up to the blank line) is complete.
[[nodiscard]] bool isCompleteRequestHead(const QByteArray &data);

/// Checks a complete request head: the bearer token when one is set (401, compared in
/// constant time), the Origin against `allowedOrigins` (403; no Origin is allowed) and the
/// connection count (503).
[[nodiscard]] HandshakeVerdict checkHandshake(const QByteArray &head, const QString &token,
                                              const QStringList &allowedOrigins, int openConnections,
                                              int maxConnections);

/// `HTTP/1.1 <status> <text>` with a short plain-text body, closing the connection.
[[nodiscard]] QByteArray httpRefusal(const HandshakeVerdict &verdict);

/// Equal byte strings, in time independent of where they differ.
[[nodiscard]] bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

} // namespace gapless::protocol
