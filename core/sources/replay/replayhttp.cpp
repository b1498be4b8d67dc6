#include "core/sources/replay/replayhttp.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

constexpr qsizetype kMaxHead = 16 * 1024;
constexpr qsizetype kMaxBody = 1024 * 1024;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Payload Too Large";
    case 418:
        return "I'm a teapot";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return status >= 500 ? "Server Error" : "Error";
    }
}

ReplayHttpParse invalid(int status, const QString &problem)
{
    ReplayHttpParse parse;
    parse.state = ReplayHttpParse::Invalid;
    parse.status = status;
    parse.problem = problem;
    return parse;
}

} // namespace

QByteArray ReplayHttpRequest::header(QByteArrayView lowerName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerName)
            return value;
    }
    return {};
}

bool ReplayHttpRequest::isUpgrade() const
{
    return header("upgrade").compare("websocket", Qt::CaseInsensitive) == 0;
}

ReplayHttpReply ReplayHttpReply::json(int status, const QByteArray &body)
{
    ReplayHttpReply reply;
    reply.status = status;
    reply.body = body;
    return reply;
}

ReplayHttpReply ReplayHttpReply::text(int status, const QString &text)
{
    ReplayHttpReply reply;
    reply.status = status;
    reply.contentType = "text/plain; charset=utf-8";
    reply.body = text.toUtf8() + '\n';
    return reply;
}

ReplayHttpParse parseHttpRequest(QByteArrayView data)
{
    const qsizetype end = QByteArrayView(data).indexOf("\r\n\r\n");
    if (end < 0) {
        if (data.size() > kMaxHead)
            return invalid(413, u"request head over 16 KiB; expected a shorter head"_s);
        return {};
    }
    const QList<QByteArray> lines = data.first(end).toByteArray().split('\n');
    const QList<QByteArray> requestLine = lines.constFirst().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(1).startsWith('/'))
        return invalid(400, u"request line '%1'; expected METHOD /PATH HTTP/1.1"_s.arg(
                                QString::fromLatin1(lines.constFirst().trimmed().left(200))));
    if (!requestLine.at(2).startsWith("HTTP/1."))
        return invalid(505, u"version '%1'; expected HTTP/1.1"_s.arg(QString::fromLatin1(requestLine.at(2))));
    ReplayHttpParse parse;
    ReplayHttpRequest &request = parse.request;
    request.method = requestLine.at(0);
    const QUrl target(QString::fromLatin1(requestLine.at(1)));
    request.path = target.path();
    request.query = QUrlQuery(target.query(QUrl::FullyEncoded));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            request.headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }
    const QByteArray connection = request.header("connection").toLower();
    request.keepAlive = requestLine.at(2) == "HTTP/1.1" ? !connection.contains("close")
                                                        : connection.contains("keep-alive");
    bool ok = true;
    const QByteArray lengthText = request.header("content-length");
    const qint64 length = lengthText.isEmpty() ? 0 : lengthText.toLongLong(&ok);
    if (!ok || length < 0)
        return invalid(400, u"Content-Length '%1'; expected a byte count"_s.arg(QString::fromLatin1(lengthText)));
    if (length > kMaxBody)
        return invalid(413, u"body of %1 bytes; expected at most 1 MiB"_s.arg(length));
    if (data.size() < end + 4 + length)
        return {};
    request.body = data.sliced(end + 4, length).toByteArray();
    parse.state = ReplayHttpParse::Complete;
    parse.consumed = end + 4 + length;
    return parse;
}

QByteArray httpResponseBytes(const ReplayHttpReply &reply, bool keepAlive)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + reasonPhrase(reply.status) + "\r\n";
    out += "Content-Type: " + reply.contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n";
    for (const auto &[name, value] : reply.headers)
        out += name + ": " + value + "\r\n";
    out += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    return out + reply.body;
}

} // namespace gapless::sources
