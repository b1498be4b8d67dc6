#include "core/ingest/fileimport.h"

#include "core/sources/candlefile.h"
#include "core/sources/fileformat.h"
#include "core/store/storewriter.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace gapless::ingest {

FileImport::FileImport(store::StoreWriter *writer, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
{
    qRegisterMetaType<gapless::ingest::ImportReport>();
    connect(m_writer, &store::StoreWriter::batchWritten, this, &FileImport::onWritten, Qt::QueuedConnection);
    connect(m_writer, &store::StoreWriter::batchFailed, this, &FileImport::onFailed, Qt::QueuedConnection);
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
    m_next = 0;
    return {};
}

void FileImport::start()
{
    if (m_report.strictRefused || m_accepted.isEmpty()) {
        QTimer::singleShot(0, this, [this] { emit finished(m_report); });
        return;
    }
    writeNext();
}

void FileImport::writeNext()
{
    if (m_next >= m_accepted.size()) {
        emit finished(m_report);
        return;
    }
    m_inFlight = std::min<qsizetype>(m_request.batchMax, m_accepted.size() - m_next);
    store::RevisionContext context;
    context.cause = u"import"_s;
    context.runId = m_request.runId;
    context.atMs = m_request.nowSeconds * 1000;
    m_writer->writeBatch(m_request.series, m_accepted.mid(m_next, m_inFlight), context);
}

void FileImport::onWritten(const SeriesId &series, const store::UpsertResult &result)
{
    if (!(series == m_request.series) || m_inFlight == 0)
        return;
    m_report.inserted += result.inserted;
    m_report.updated += result.updated;
    m_report.identical += result.identical;
    m_next += m_inFlight;
    m_inFlight = 0;
    emit progressed(m_next, m_accepted.size());
    writeNext();
}

void FileImport::onFailed(const SeriesId &series, const Error &error)
{
    if (!(series == m_request.series) || m_inFlight == 0)
        return;
    m_inFlight = 0;
    m_report.runError = error;
    emit finished(m_report);
}

} // namespace gapless::ingest
