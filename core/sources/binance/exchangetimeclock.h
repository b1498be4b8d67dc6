#pragma once

#include "core/runtime/clock.h"
#include "core/sources/binance/exchangeclock.h"

#include <QMutex>
#include <QObject>
#include <QUrl>

class QNetworkAccessManager;
class QTimer;

namespace gapless::sources {

/// `source.clock = exchange` (SRC-3): a Clock that reads xnow of one Binance host, from its
/// `/api/v3/time` (or `/fapi/v1/time`) replies: at start, then every 600 s; a failed reply is
/// asked again after 5 s. Until the first reply it is the local clock. Read from any thread;
/// lives on the thread that started it.
class ExchangeTimeClock final : public QObject, public Clock
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExchangeTimeClock)
public:
    /// `restBase`: `source.binance_spot_rest` (or the futures one with `futures`).
    ExchangeTimeClock(const Clock &local, const QString &restBase, bool futures, QObject *parent = nullptr);
    ~ExchangeTimeClock() override;

    /// Asks the exchange's time now and keeps it up to date.
    void start();
    [[nodiscard]] qint64 nowMs() const override;
    [[nodiscard]] const Clock &local() const override { return m_local; }
    [[nodiscard]] bool isSynced() const;
    [[nodiscard]] QUrl timeUrl() const { return m_url; }

signals:
    /// A `/time` reply came (each one).
    void synced();
    /// A `/time` request failed; `error` names the URL and what went wrong.
    void syncFailed(const QString &error);

private:
    void request();

    const Clock &m_local;
    QUrl m_url;
    QNetworkAccessManager *m_network;
    QTimer *m_timer;
    mutable QMutex m_mutex;
    ExchangeClock m_clock; ///< guarded by m_mutex
};

} // namespace gapless::sources
