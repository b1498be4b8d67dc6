// The remote channel of a job subcommand (CLI-14): a protocol client on `--connect`,
// watching the `jobs` topic (JOB-11) before it sends anything.
#include "app/jobchannel.h"

#include "core/protocol/client.h"

#include <QHash>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QTimer>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

constexpr int kHandshakeTimeoutMs = 15000;
constexpr int kMaxReconnects = 5; // then the core counts as gone

class RemoteJobChannel final : public JobChannel
{
public:
    RemoteJobChannel(QUrl url, QString token)
        : m_url(std::move(url))
        , m_token(std::move(token))
    {
    }

    void open(Events events, Ready ready) override
    {
        m_events = std::move(events);
        m_ready = std::move(ready);
        probe();
    }

    void send(const QString &name, const QJsonObject &args, const QString &key, Reply reply) override
    {
        m_pending.insert(m_client->sendCommand(name, args, key), std::move(reply));
    }

private:
    /// One handshake of its own first, so that a refused address or token is reported with
    /// its reason instead of being retried (the client reconnects silently).
    void probe()
    {
        m_probe = std::make_unique<QWebSocket>();
        QNetworkRequest request(m_url);
        if (!m_token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
        QObject::connect(m_probe.get(), &QWebSocket::connected, &m_timer, [this] {
            m_timer.stop();
            m_probe->close();
            startClient();
        });
        QObject::connect(m_probe.get(), qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), &m_timer,
                         [this] { refused(m_probe->errorString()); });
        m_timer.setSingleShot(true);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer,
                         [this] { refused(u"no handshake within %1 ms"_s.arg(kHandshakeTimeoutMs)); });
        m_timer.start(kHandshakeTimeoutMs);
        m_probe->open(request);
    }

    void refused(const QString &reason)
    {
        if (m_client || m_refused)
            return;
        m_refused = true;
        m_timer.stop();
        m_probe->disconnect(&m_timer);
        m_probe->abort();
        if (reason.contains(u"401"_s)) {
            m_ready(Error::unauthorized(u"--connect %1: the core refused the token (HTTP 401); expected --token T "
                                        u"equal to its server.access_token"_s.arg(m_url.toString())));
            return;
        }
        m_ready(Error::unavailable(u"--connect %1: %2; expected a running core (gapless serve)"_s.arg(m_url.toString(),
                                                                                                     reason)));
    }

    void startClient()
    {
        protocol::ClientOptions options;
        options.url = m_url;
        options.token = m_token;
        options.random = [] { return QRandomGenerator::global()->generateDouble(); };
        m_client = std::make_unique<protocol::Client>(options);
        protocol::Client *c = m_client.get();
        QObject::connect(c, &protocol::Client::jobReceived, c, [this](const QJsonObject &frame) { m_events(frame); });
        QObject::connect(c, &protocol::Client::systemEvent, c,
                         [this](const QString &event, const QString &, const QString &, const QJsonObject &) {
            if (event != "watching"_L1 || m_watching)
                return;
            m_watching = true;
            m_ready(std::nullopt);
        });
        QObject::connect(c, &protocol::Client::resultReceived, c,
                         [this](const QString &id, bool ok, const QJsonValue &data, const Error &error, bool replayed) {
            const Reply reply = m_pending.take(id);
            if (!reply)
                return;
            if (ok)
                reply({data, {}, replayed});
            else
                reply({error, data.toObject(), replayed});
        });
        QObject::connect(c, &protocol::Client::errorReceived, c,
                         [this](const Error &error, const QString &, const QString &id) {
            if (const Reply reply = m_pending.take(id))
                reply({error, {}, false});
        });
        QObject::connect(c, &protocol::Client::reconnectScheduled, c, [this](int failures, qint64) {
            if (failures + 1 < kMaxReconnects)
                return;
            m_client->close();
            m_ready(Error::unavailable(u"--connect %1: connection lost %2 times in a row; expected a running "
                                       u"core"_s.arg(m_url.toString())
                                           .arg(failures + 1)));
        });
        c->watch(protocol::WatchTopic::Jobs);
        c->open();
    }

    QUrl m_url;
    QString m_token;
    Events m_events;
    Ready m_ready;
    QTimer m_timer;
    std::unique_ptr<QWebSocket> m_probe;
    std::unique_ptr<protocol::Client> m_client;
    QHash<QString, Reply> m_pending;
    bool m_refused = false;
    bool m_watching = false;
};

} // namespace

std::unique_ptr<JobChannel> remoteJobChannel(const QUrl &url, const QString &token)
{
    return std::make_unique<RemoteJobChannel>(url, token);
}

} // namespace gapless::app
