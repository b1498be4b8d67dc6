#include "core/protocol/handshakegate.h"

#include <QList>

using namespace Qt::StringLiterals;

namespace gapless::protocol {

namespace {

// The value of a header (names compare case-insensitively); null when absent.
QByteArray headerValue(const QByteArray &head, QByteArrayView name)
{
    const QList<QByteArray> lines = head.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

} // namespace

bool isCompleteRequestHead(const QByteArray &data)
{
    return data.contains("\r\n\r\n");
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    const qsizetype n = std::max(a.size(), b.size());
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (qsizetype i = 0; i < n; ++i) {
        const auto x = static_cast<unsigned char>(i < a.size() ? a.at(i) : 0);
        const auto y = static_cast<unsigned char>(i < b.size() ? b.at(i) : 0);
        diff |= static_cast<unsigned char>(x ^ y);
    }
    return diff == 0;
}

HandshakeVerdict checkHandshake(const QByteArray &head, const QString &token, const QStringList &allowedOrigins,
                                int openConnections, int maxConnections)
{
    if (!token.isEmpty()) {
        const QByteArray auth = headerValue(head, "authorization");
        const QByteArray expected = "Bearer " + token.toUtf8();
        if (!constantTimeEquals(auth, expected))
            return {401, u"missing or wrong bearer token; expected Authorization: Bearer <server.access_token>"_s};
    }
    const QByteArray origin = headerValue(head, "origin");
    if (!origin.isNull() && !allowedOrigins.contains(QString::fromUtf8(origin)))
        return {403, u"Origin '%1': not allowed; expected one of server.allowed_origins"_s.arg(
                         QString::fromUtf8(origin.left(200)))};
    if (openConnections >= maxConnections)
        return {503, u"%1 connections open; expected at most server.max_connections = %1"_s.arg(maxConnections)};
    return {};
}

QByteArray httpRefusal(const HandshakeVerdict &verdict)
{
    QByteArray text;
    switch (verdict.status) {
    case 401:
        text = "Unauthorized";
        break;
    case 403:
        text = "Forbidden";
        break;
    case 503:
        text = "Service Unavailable";
        break;
    default:
        text = "Bad Request";
        break;
    }
    const QByteArray body = verdict.reason.toUtf8() + '\n';
    QByteArray response = "HTTP/1.1 " + QByteArray::number(verdict.status) + ' ' + text + "\r\n";
    if (verdict.status == 401)
        response += "WWW-Authenticate: Bearer\r\n";
    response += "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + QByteArray::number(body.size())
                + "\r\nConnection: close\r\n\r\n" + body;
    return response;
}

} // namespace gapless::protocol
