#pragma once

#include "core/domain/seriesid.h"
#include "core/ingest/filevalidation.h"
#include "core/ingest/ingestrun.h"
#include "core/store/candlestore.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <optional>

namespace gapless::ingest {

/// What `gapless import` (and the protocol's `import` command) asks for (CLI-6, ING-14).
struct ImportRequest
{
    QString path;
    QString format;            ///< "", "csv" or "freqtrade"
    SeriesId series;
    bool strict = false;       ///< any rejected row: write nothing
    bool rejectSoftAnomalies = false;
    qint64 batchMax = 50000;   ///< rows per run (`ingest.batch_max`)
    qint64 nowSeconds = 0;
    qint64 runId = 0;
};

/// The result of an import: counts, rejected rows, kept anomalies, and a failed run if any (CLI-9).
struct ImportReport
{
    QString file;
    SeriesId series;
    qint64 rows = 0;
    qint64 inserted = 0;
    qint64 updated = 0;
    qint64 identical = 0;
    QList<RejectedRow> rejected;
    QList<AnomalyRow> anomalies;
    bool strictRefused = false;     ///< --strict and some row was rejected: nothing written
    std::optional<Error> runError;  ///< the first failed run's error (journalled); other runs still ran
    QList<qint64> journalIds;       ///< journal rows of failed runs (ING-9)
};

class IngestWriter;

/// Reads, validates and writes one candle file through the ingest pipeline, a run of at most
/// `batchMax` rows at a time (ING-14). Lives on the caller's thread; the writes happen on the
/// writer's. All runs are queued at once, so the factor step sees the whole file coming.
class FileImport final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileImport)
public:
    explicit FileImport(IngestWriter *writer, QObject *parent = nullptr);

    /// Reads and validates the file. A file that cannot be read at all is an Error naming it.
    [[nodiscard]] Result<void> prepare(const ImportRequest &request);
    [[nodiscard]] const ImportReport &report() const { return m_report; }
    /// Rows that will be written: 0 when --strict refused the file.
    [[nodiscard]] qint64 pendingRows() const { return m_report.strictRefused ? 0 : m_accepted.size(); }
    /// Starts writing; finished() follows, also when there is nothing to write.
    void start();

    /// Queues a run and calls its second argument with the run's report (a job's submit).
    using Submit = std::function<void(IngestRun run, std::function<void(const RunReport &)> done)>;
    /// How a job writes (JOB-10): each run goes through `submit` (run id 0 when the request's is
    /// 0, for the submitter to assign), one after the other; before each, `proceed()` says
    /// whether to go on. Once it says no, nothing more is written and finished() never follows.
    void setSubmitter(Submit submit, std::function<bool()> proceed);

signals:
    /// After each committed run: rows written so far out of those to write.
    void progressed(qint64 done, qint64 total);
    void finished(const gapless::ingest::ImportReport &report);

private:
    void onRunFinished(const RunReport &report);
    void submitNext();
    void absorb(const RunReport &report, qsizetype rows);

    IngestWriter *m_writer;
    ImportRequest m_request;
    ImportReport m_report;
    CandleList m_accepted;
    QHash<qint64, qsizetype> m_pending; ///< run id → rows in that run
    qsizetype m_done = 0;
    Submit m_submit;
    std::function<bool()> m_proceed;
};

} // namespace gapless::ingest

Q_DECLARE_METATYPE(gapless::ingest::ImportReport)
