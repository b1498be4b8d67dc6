#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrl>

namespace gapless::test {

/// One finished HTTP exchange as a test sees it.
struct HttpResult
{
    int status = 0; ///< 0: no reply (connection refused or reset)
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;

    [[nodiscard]] QByteArray header(const QByteArray &name) const;
    [[nodiscard]] QJsonDocument json() const { return QJsonDocument::fromJson(body); }
};

/// A blocking HTTP client for tests against a server on 127.0.0.1: each call spins the event
/// loop until the reply has finished (or 10 s have passed), with no proxy in the way.
class HttpProbe
{
public:
    HttpProbe();

    [[nodiscard]] HttpResult get(const QUrl &url);
    [[nodiscard]] HttpResult post(const QUrl &url, const QByteArray &body);
    /// Starts GETs together; returns once all have finished.
    [[nodiscard]] QList<HttpResult> getAll(const QList<QUrl> &urls);

private:
    QNetworkAccessManager m_manager;
};

} // namespace gapless::test
