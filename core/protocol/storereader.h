#pragma once

#include "core/protocol/subscription.h"
#include "core/runtime/clock.h"
#include "core/runtime/sectionsettings.h"
#include "core/store/candlestore.h"

#include <QJsonValue>
#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

namespace gapless::protocol {

class QueryCommands;

/// A command's answer from a reader: `data` if ok, else `error`.
struct CommandReply
{
    bool ok = false;
    QJsonValue data;
    Error error;
};

/// One reader of the server (PROTO-20): a thread with its own read-only store connection,
/// opened on first use, that runs catch-up page reads and the read-only commands. Answers are
/// signals, emitted on the reader thread; connect with a context object on the protocol thread.
class StoreReader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StoreReader)
public:
    StoreReader(store::StoreUrl url, store::StoreOptions options, const Clock &clock, HealthSettings health);
    ~StoreReader() override;

    // Called from any thread; the work runs on the reader's thread in call order.
    void readPage(quint64 connection, const gapless::protocol::PageRequest &request);
    void runQuery(quint64 connection, const QString &requestId, const QString &name, const QJsonObject &args);
    void readOpenErrors(quint64 connection, const QString &seriesFilter);
    void setHealthSettings(const HealthSettings &health);
    /// Reads and queries asked of this reader and not yet answered.
    [[nodiscard]] int queued() const { return m_queued.load(std::memory_order_relaxed); }

signals:
    void pageRead(quint64 connection, const gapless::protocol::PageResult &result);
    void queryFinished(quint64 connection, const QString &requestId, const gapless::protocol::CommandReply &reply);
    void openErrorsRead(quint64 connection, const QList<QJsonObject> &frames);

private:
    [[nodiscard]] Result<store::CandleStore *> store();
    void close();
    /// Runs `work` on the reader's thread, counted in queued() until it returns.
    template<typename Work>
    void post(Work work);

    store::StoreUrl m_url;
    store::StoreOptions m_options;
    const Clock &m_clock;
    HealthSettings m_health;
    std::unique_ptr<store::CandleStore> m_store;
    std::unique_ptr<QueryCommands> m_queries;
    std::atomic<int> m_queued{0};
};

/// The readers of one server, each on its own thread; work goes to them in turn.
class ReaderPool final
{
public:
    ReaderPool(int count, const store::StoreUrl &url, const store::StoreOptions &options, const Clock &clock,
               const HealthSettings &health);
    ~ReaderPool();
    Q_DISABLE_COPY_MOVE(ReaderPool)

    [[nodiscard]] const QList<StoreReader *> &readers() const { return m_readers; }
    /// The reader for the next piece of work: the one with the least queued, in turn among
    /// equals, so a catch-up read does not wait behind a long query while a reader is idle.
    [[nodiscard]] StoreReader *next();

private:
    QList<QThread *> m_threads;
    QList<StoreReader *> m_readers;
    qsizetype m_next = 0;
};

} // namespace gapless::protocol

Q_DECLARE_METATYPE(gapless::protocol::PageRequest)
Q_DECLARE_METATYPE(gapless::protocol::PageResult)
Q_DECLARE_METATYPE(gapless::protocol::CommandReply)
