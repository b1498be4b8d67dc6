#include "core/ingest/fileimport.h"

#include "core/sources/candlefile.h"
#include "core/sources/fileformat.h"
#include "core/ingest/ingestwriter.h"

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

void FileImport::onRunFinished(const RunReport &report)
{
    const auto it = m_pending.constFind(report.runId);
    if (it == m_pending.cend())
        return;
    m_done += *it;
    m_pending.erase(it);
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
    if (m_pending.isEmpty())
        emit finished(m_report);
}

} // namespace gapless::ingest
