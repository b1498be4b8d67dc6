#include "core/protocol/storereader.h"

#include "core/protocol/querycommands.h"
#include "core/runtime/logging.h"

using namespace Qt::StringLiterals;

namespace gapless::protocol {

StoreReader::StoreReader(store::StoreUrl url, store::StoreOptions options, const Clock &clock, HealthSettings health)
    : m_url(std::move(url)), m_options(options), m_clock(clock), m_health(health)
{
    m_options.readOnly = true;
    qRegisterMetaType<gapless::protocol::PageResult>();
    qRegisterMetaType<gapless::protocol::CommandReply>();
    qRegisterMetaType<QList<QJsonObject>>();
}

StoreReader::~StoreReader() = default;

void StoreReader::close()
{
    m_queries.reset();
    m_store.reset();
}

Result<store::CandleStore *> StoreReader::store()
{
    if (!m_store) {
        auto opened = store::CandleStore::open(m_url, m_options);
        if (!opened)
            return opened.error();
        m_store = std::move(*opened);
        m_queries = std::make_unique<QueryCommands>(*m_store, m_clock, m_health);
    }
    return m_store.get();
}

template<typename Work>
void StoreReader::post(Work work)
{
    m_queued.fetch_add(1, std::memory_order_relaxed);
    QMetaObject::invokeMethod(this, [this, work = std::move(work)] {
        work();
        m_queued.fetch_sub(1, std::memory_order_relaxed);
    });
}

void StoreReader::readPage(quint64 connection, const PageRequest &request)
{
    post([this, connection, request] {
        PageResult result{request.ticket, std::nullopt, {}, {}, request.series};
        auto opened = store();
        if (!opened) {
            result.error = opened.error().message;
            emit pageRead(connection, result);
            return;
        }
        store::CandleStore &s = **opened;
        auto head = s.headTime(request.series);
        if (!head && head.error().code != ErrorCode::NotFound) {
            result.error = head.error().message;
            close(); // a broken connection is reopened by the next read
            emit pageRead(connection, result);
            return;
        }
        if (head)
            result.head = *head;
        if (result.head) {
            auto page = request.after ? s.after(request.series, *request.after, request.limit)
                                      : s.tail(request.series, request.limit);
            if (page)
                result.candles = std::move(*page);
            else if (page.error().code != ErrorCode::NotFound)
                result.error = page.error().message;
        }
        emit pageRead(connection, result);
    });
}

void StoreReader::runQuery(quint64 connection, const QString &requestId, const QString &name, const QJsonObject &args)
{
    post([this, connection, requestId, name, args] {
        CommandReply reply;
        auto opened = store();
        if (!opened) {
            reply.error = Error::unavailable(u"%1: store unavailable: %2"_s.arg(name, opened.error().message));
            emit queryFinished(connection, requestId, reply);
            return;
        }
        auto data = m_queries->run(name, args);
        reply.ok = bool(data);
        if (data)
            reply.data = *data;
        else
            reply.error = data.error();
        emit queryFinished(connection, requestId, reply);
    });
}

void StoreReader::readOpenErrors(quint64 connection, const QString &seriesFilter)
{
    post([this, connection, seriesFilter] {
        QList<QJsonObject> frames;
        if (auto opened = store()) {
            auto rows = m_queries->openIngestErrors(seriesFilter);
            if (rows)
                frames = *rows;
            else
                qCWarning(lcProtocol) << "ingest_errors watch:" << rows.error().message;
        }
        emit openErrorsRead(connection, frames);
    });
}

void StoreReader::setHealthSettings(const HealthSettings &health)
{
    QMetaObject::invokeMethod(this, [this, health] {
        m_health = health;
        if (m_queries)
            m_queries->setHealthSettings(health);
    });
}

ReaderPool::ReaderPool(int count, const store::StoreUrl &url, const store::StoreOptions &options, const Clock &clock,
                       const HealthSettings &health)
{
    for (int i = 0; i < count; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(u"gapless-reader-%1"_s.arg(i));
        auto *reader = new StoreReader(url, options, clock, health);
        reader->moveToThread(thread);
        QObject::connect(thread, &QThread::finished, reader, &QObject::deleteLater);
        thread->start();
        m_threads.append(thread);
        m_readers.append(reader);
    }
}

ReaderPool::~ReaderPool()
{
    // The store closes on the thread that opened it: deleteLater runs there before it ends.
    for (QThread *thread : std::as_const(m_threads)) {
        thread->quit();
        thread->wait();
        delete thread;
    }
}

StoreReader *ReaderPool::next()
{
    qsizetype best = m_next;
    for (qsizetype i = 1; i < m_readers.size(); ++i) {
        const qsizetype candidate = (m_next + i) % m_readers.size();
        if (m_readers.at(candidate)->queued() < m_readers.at(best)->queued())
            best = candidate;
    }
    m_next = (best + 1) % m_readers.size();
    return m_readers.at(best);
}

} // namespace gapless::protocol
