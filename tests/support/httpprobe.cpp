#include "tests/support/httpprobe.h"

#include <QNetworkProxy>
#include <QNetworkReply>
#include <QTest>

#include <algorithm>

namespace gapless::test {

namespace {

constexpr int kTimeoutMs = 10000;

HttpResult finish(QNetworkReply *reply)
{
    if (!reply->isFinished())
        reply->abort();
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return result;
}

} // namespace

QByteArray HttpResult::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

HttpProbe::HttpProbe()
{
    m_manager.setProxy(QNetworkProxy::NoProxy);
}

HttpResult HttpProbe::get(const QUrl &url)
{
    return getAll({url}).constFirst();
}

HttpResult HttpProbe::post(const QUrl &url, const QByteArray &body)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("text/plain"));
    QNetworkReply *reply = m_manager.post(request, body);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, kTimeoutMs))
        qWarning("POST %s: no reply", qPrintable(url.toString()));
    return finish(reply);
}

QList<HttpResult> HttpProbe::getAll(const QList<QUrl> &urls)
{
    QList<QNetworkReply *> replies;
    for (const QUrl &url : urls)
        replies << m_manager.get(QNetworkRequest(url));
    const bool done = QTest::qWaitFor([&replies] {
        return std::all_of(replies.cbegin(), replies.cend(), [](QNetworkReply *r) { return r->isFinished(); });
    }, kTimeoutMs);
    if (!done)
        qWarning("GET: no reply within %d ms", kTimeoutMs);
    QList<HttpResult> results;
    for (QNetworkReply *reply : replies)
        results << finish(reply);
    return results;
}

} // namespace gapless::test
