#include "core/ingest/fileimport.h"

#include "core/sources/candlefile.h"
#include "core/sources/fileformat.h"
#include "core/ingest/ingestwriter.h"

#include <QPointer>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace gapless::ingest {

FileImport::FileImport(IngestWriter *writer, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
{
    qRegisterMetaType<gapless::ingest::ImportReport>();
    connect(m_writer, &IngestWriter::runFinished, this, &FileImport::onRunFinished, Qt::QueuedConnection);
}

Result<void> FileImport::prepare(const ImportRequest &request)
{
    m_request = request;
    m_report = ImportReport{};
    m_report.file = request.path;
    m_report.series = request.series;
    auto format = sources::detectFormat(request.path, request.format);
    if (!format)
        return format.error();
    auto parsed = sources::readCandleFile(request.path, *format);
    if (!parsed)
        return parsed.error();
    const ValidationRules rules{request.series.timeframe(), request.nowSeconds, request.rejectSoftAnomalies};
    FileValidation checked = validateFile(*parsed, rules);
    m_report.rows = checked.rows;
    m_report.rejected = std::move(checked.rejected);
    m_report.anomalies = std::move(checked.anomalies);
    m_report.strictRefused = request.strict && !m_report.rejected.isEmpty();
    m_accepted = std::move(checked.accepted);
    // ING-14: --strict writes the whole file in one run.
    if (request.strict)
        m_request.batchMax = std::max<qint64>(1, m_accepted.size());
    return {};
}

void FileImport::start()
{
    if (m_report.strictRefused || m_accepted.isEmpty()) {
        QTimer::singleShot(0, this, [this] { emit finished(m_report); });
        return;
    }
    m_done = 0;
    if (m_submit) {
        submitNext();
        return;
    }
    qint64 runId = m_request.runId;
    for (qsizetype start = 0; start < m_accepted.size(); start += m_request.batchMax) {
        IngestRun run;
        run.runId = runId++;
        run.source = u"import"_s;
        const CandleList part = m_accepted.mid(start, m_request.batchMax);
        run.add(m_request.series, part);
        m_pending.insert(run.runId, part.size());
        m_writer->submit(run);
    }
}

void FileImport::setSubmitter(Submit submit, std::function<bool()> proceed)
{
    m_submit = std::move(submit);
    m_proceed = std::move(proceed);
}

void FileImport::submitNext()
{
    if (m_done >= m_accepted.size()) {
        emit finished(m_report);
        return;
    }
    if (m_proceed && !m_proceed())
        return;
    IngestRun run;
    run.runId = m_request.runId == 0 ? 0 : m_request.runId + m_done / m_request.batchMax;
    run.source = u"import"_s;
    const CandleList part = m_accepted.mid(m_done, m_request.batchMax);
    run.add(m_request.series, part);
    QPointer<FileImport> guard(this);
    m_submit(run, [this, guard, rows = part.size()](const RunReport &report) {
        if (!guard)
            return;
        absorb(report, rows);
        submitNext();
    });
}

void FileImport::onRunFinished(const RunReport &report)
{
    const auto it = m_pending.constFind(report.runId);
    if (it == m_pending.cend())
        return;
    const qsizetype rows = *it;
    m_pending.erase(it);
    absorb(report, rows);
    if (m_pending.isEmpty())
        emit finished(m_report);
}

void FileImport::absorb(const RunReport &report, qsizetype rows)
{
    m_done += rows;
    for (const SeriesOutcome &s : report.series) {
        m_report.inserted += s.inserted;
        m_report.updated += s.updated;
        m_report.identical += s.identical;
        if (!s.ok) {
            if (!m_report.runError)
                m_report.runError = s.error;
            if (s.journalId)
                m_report.journalIds.append(*s.journalId);
        }
    }
    emit progressed(m_done, m_accepted.size());
}

} // namespace gapless::ingest
