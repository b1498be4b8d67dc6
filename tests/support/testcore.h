#pragma once

#include "core/domain/candle.h"
#include "core/domain/seriesid.h"
#include "core/runtime/clock.h"
#include "core/runtime/core.h"
#include "core/runtime/corethread.h"
#include "tests/support/testdatabase.h"

#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

namespace gapless::test {

/// A real Core (writer thread, market server, readers) on a fresh database of the test
/// backend, listening on 127.0.0.1 with an ephemeral port. Candles go in through the ingest
/// pipeline, as they do in production.
class TestCore
{
public:
    /// `settings`: extra `key=value` pairs, as `--set` takes them.
    explicit TestCore(qint64 nowMs, const QStringList &settings = {});
    ~TestCore();
    Q_DISABLE_COPY_MOVE(TestCore)

    /// Starts the core; false (with the reason in error()) if it did not come up.
    [[nodiscard]] bool start(const protocol::HeartbeatOptions &heartbeat = {});
    /// Starts the core on a CoreThread of its own, as the desktop app runs it (UI-4, D-UI-31);
    /// core() is then unavailable, ingest() works.
    [[nodiscard]] bool startOnThread();
    /// Stops and starts a new core on the same database, on the same port when possible.
    [[nodiscard]] bool restart();
    void stop();
    /// Applied at every start; outlives the core.
    void setHoleHealer(protocol::HoleHealer *healer) { m_healer = healer; }

    [[nodiscard]] QUrl url() const { return m_url; }
    [[nodiscard]] Core &core() { return *m_core; }
    [[nodiscard]] FixedClock &clock() { return m_clock; }
    [[nodiscard]] const store::StoreUrl &storeUrl() const { return m_storeUrl; }
    [[nodiscard]] const QString &error() const { return m_error; }

    /// Runs the candles through the pipeline and waits for the run to finish.
    [[nodiscard]] bool ingest(const SeriesId &series, const CandleList &candles);
    /// Writes the candles straight into the store (no notification), e.g. before start().
    [[nodiscard]] bool seed(const SeriesId &series, const CandleList &candles);
    /// The stored candles of a series, ascending.
    [[nodiscard]] CandleList stored(const SeriesId &series);
    /// Runs `sql` on the writer's connection after what is queued there: the first column of
    /// each row it returns, or {"error"} when it fails.
    [[nodiscard]] QVariantList query(const QString &sql, const QVariantList &binds = {});

private:
    [[nodiscard]] bool startOn(const QString &listen, const protocol::HeartbeatOptions &heartbeat);
    [[nodiscard]] std::optional<Settings> loadSettings(const QString &listen);

    TestDatabase m_db;
    FixedClock m_clock;
    QStringList m_settings;
    store::StoreUrl m_storeUrl;
    std::unique_ptr<Core> m_core;
    std::unique_ptr<CoreThread> m_thread;
    QUrl m_url;
    QString m_error;
    protocol::HeartbeatOptions m_heartbeat;
    protocol::HoleHealer *m_healer = nullptr;
};

/// Synthetic 1m candles at times start, start+tf, …, with prices derived from the time.
[[nodiscard]] CandleList syntheticCandles(qint64 start, int count, qint64 tf = 60);

} // namespace gapless::test
