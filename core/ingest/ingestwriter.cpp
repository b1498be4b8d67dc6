#include "core/ingest/ingestwriter.h"

#include "core/ingest/errorjournal.h"
#include "core/runtime/logging.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace gapless::ingest {

IngestWriter::IngestWriter(const Clock &clock, EventLog &log, Failpoints &failpoints)
    : m_clock(clock)
    , m_log(log)
    , m_failpoints(failpoints)
{
    qRegisterMetaType<gapless::Error>();
    qRegisterMetaType<gapless::SeriesId>();
    qRegisterMetaType<gapless::CandleList>();
    qRegisterMetaType<gapless::ingest::RunReport>();
    qRegisterMetaType<gapless::ingest::JournalEntry>();
}

IngestWriter::~IngestWriter()
{
    m_pipeline.reset();
    m_store.reset();
}

void IngestWriter::open(const store::StoreUrl &url, const store::StoreOptions &options, const PipelineConfig &config)
{
    QMetaObject::invokeMethod(this, [=, this] { doOpen(url, options, config); }, Qt::QueuedConnection);
}

void IngestWriter::submit(const IngestRun &run)
{
    QMetaObject::invokeMethod(this, [this, run] {
        m_queue.enqueue(run);
        if (!m_processing) {
            m_processing = true;
            QMetaObject::invokeMethod(this, &IngestWriter::processNext, Qt::QueuedConnection);
        }
    }, Qt::QueuedConnection);
}

void IngestWriter::retryError(qint64 errorId, qint64 runId)
{
    QMetaObject::invokeMethod(this, [this, errorId, runId] {
        if (!m_pipeline) {
            emit retryFailed(errorId, Error::unavailable(u"store: not open; expected a store opened before a retry"_s));
            return;
        }
        auto report = m_pipeline->retry(errorId, runId);
        if (report)
            emit retryFinished(errorId, *report);
        else
            emit retryFailed(errorId, report.error());
    }, Qt::QueuedConnection);
}

void IngestWriter::journal(const JournalEntry &entry)
{
    QMetaObject::invokeMethod(this, [this, entry] {
        if (!m_store) {
            qCWarning(lcIngest) << "journal: store not open;" << entry.message;
            return;
        }
        JournalEntry written = entry;
        auto id = ErrorJournal(*m_store, m_failpoints).append(entry);
        if (!id) {
            qCCritical(lcIngest) << "journal:" << id.error().message << "; lost:" << entry.message;
            return;
        }
        written.id = *id;
        emit ingestErrorRecorded(written);
    }, Qt::QueuedConnection);
}

void IngestWriter::setConfig(const PipelineConfig &config)
{
    QMetaObject::invokeMethod(this, [this, config] {
        if (m_pipeline)
            m_pipeline->setConfig(config);
    }, Qt::QueuedConnection);
}

void IngestWriter::post(std::function<void(store::CandleStore *)> work)
{
    QMetaObject::invokeMethod(this, [this, w = std::move(work)] { w(m_store.get()); }, Qt::QueuedConnection);
}

void IngestWriter::readHead(const SeriesId &series, QObject *context, std::function<void(std::optional<qint64>)> done)
{
    post([series, context = QPointer<QObject>(context), done = std::move(done)](store::CandleStore *store) {
        std::optional<qint64> head;
        if (store) {
            if (auto h = store->headTime(series))
                head = *h;
        }
        if (context)
            QMetaObject::invokeMethod(context, [done, head] { done(head); }, Qt::QueuedConnection);
    });
}

void IngestWriter::setFollowUp(FollowUp followUp)
{
    QMetaObject::invokeMethod(this, [this, f = std::move(followUp)] { m_followUp = f; }, Qt::QueuedConnection);
}

void IngestWriter::doOpen(const store::StoreUrl &url, const store::StoreOptions &options, const PipelineConfig &config)
{
    m_pipeline.reset();
    m_store.reset();
    auto store = store::CandleStore::open(url, options);
    if (!store) {
        emit openFailed(store.error());
        return;
    }
    m_store = std::move(store).value();
    m_pipeline = std::make_unique<IngestPipeline>(*m_store, config, m_failpoints, m_log, m_clock);
    connect(m_pipeline.get(), &IngestPipeline::candlesCommitted, this, &IngestWriter::candlesCommitted);
    connect(m_pipeline.get(), &IngestPipeline::systemEvent, this, &IngestWriter::systemEvent);
    connect(m_pipeline.get(), &IngestPipeline::ingestErrorRecorded, this, &IngestWriter::ingestErrorRecorded);
    emit opened(m_store->schemaVersion());
}

void IngestWriter::processNext()
{
    if (m_queue.isEmpty()) {
        m_processing = false;
        return;
    }
    processOne();
    // One run per event-loop turn, so posted work is not starved by a long queue.
    QMetaObject::invokeMethod(this, &IngestWriter::processNext, Qt::QueuedConnection);
}

void IngestWriter::drain()
{
    while (!m_queue.isEmpty())
        processOne();
    m_processing = false;
}

void IngestWriter::processOne()
{
    const IngestRun run = m_queue.dequeue();
    RunReport report;
    report.runId = run.runId;
    if (!m_pipeline) {
        const Error notOpen = Error::unavailable(u"store: not open; expected a store opened before writing"_s);
        for (const auto &[series, candles] : run.batches) {
            SeriesOutcome out;
            out.series = series;
            out.ok = false;
            out.failedStep = u"store"_s;
            out.error = notOpen;
            report.series.append(out);
        }
    } else {
        report = m_pipeline->run(run, [this](const SeriesId &s) { return moreQueued(s); });
    }
    emit runFinished(report);
    if (m_followUp && m_store) {
        if (auto next = m_followUp(*m_store, run, report); next && !next->batches.isEmpty())
            m_queue.prepend(*next);
    }
}

bool IngestWriter::moreQueued(const SeriesId &series) const
{
    const QString key = series.toString();
    return std::any_of(m_queue.cbegin(), m_queue.cend(), [&](const IngestRun &r) { return r.batches.contains(key); });
}

IngestWriterThread::IngestWriterThread(const Clock &clock, EventLog &log, Failpoints &failpoints)
    : m_writer(new IngestWriter(clock, log, failpoints))
{
    m_thread.setObjectName(u"gapless-store-writer"_s);
    m_writer->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_writer, &QObject::deleteLater);
    m_thread.start();
}

IngestWriterThread::~IngestWriterThread()
{
    // D-ING-11: the stop is posted behind the work already handed over, and the runs still
    // queued are written before the thread ends: nothing accepted is dropped on the way out.
    QMetaObject::invokeMethod(m_writer, [this] {
        m_writer->drain();
        m_thread.quit();
    }, Qt::QueuedConnection);
    m_thread.wait();
}

} // namespace gapless::ingest
