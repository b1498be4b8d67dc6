#include "core/jobs/importjobhandler.h"

#include "core/ingest/fileimport.h"
#include "core/ingest/ingestreportjson.h"
#include "core/protocol/clientframe.h"
#include "core/sources/fileformat.h"

#include <QPointer>
#include <QThread>

using namespace Qt::StringLiterals;

namespace gapless::jobs {

namespace {

// An optional boolean argument: `fallback` when absent.
Result<bool> optionalBool(const QJsonObject &args, QStringView field, bool fallback)
{
    const QJsonValue v = args.value(field);
    if (v.isUndefined() || v.isNull())
        return fallback;
    if (!v.isBool())
        return Error::badRequest(protocol::gotExpected(field, v, u"true or false"));
    return v.toBool();
}

// CLI-6's arguments as an ImportRequest; the format is checked here, the file when it is read.
Result<ingest::ImportRequest> importArgs(const QJsonObject &args, const IngestSettings &settings)
{
    ingest::ImportRequest request;
    const QJsonValue file = args.value("file"_L1);
    if (!file.isString() || file.toString().isEmpty())
        return Error::badRequest(protocol::gotExpected(u"file", file, u"the path of a candle file on the core's "
                                                                       u"machine (CLI-6)"));
    request.path = file.toString();
    const QJsonValue id = args.value("series_id"_L1);
    if (!id.isString())
        return Error::badRequest(protocol::gotExpected(u"series_id", id, u"a series id (DOM-3)"));
    const auto series = SeriesId::parse(id.toString());
    if (!series)
        return Error::badRequest(u"series_id: "_s + series.error().message);
    request.series = *series;
    const QJsonValue format = args.value("format"_L1);
    if (!format.isUndefined() && !format.isNull()) {
        if (!format.isString() || (format.toString() != "csv"_L1 && format.toString() != "freqtrade"_L1))
            return Error::badRequest(protocol::gotExpected(u"format", format, u"csv or freqtrade"));
        request.format = format.toString();
    }
    const auto strict = optionalBool(args, u"strict", false);
    if (!strict)
        return strict.error();
    const auto reject = optionalBool(args, u"reject_anomalies", settings.rejectSoftAnomalies);
    if (!reject)
        return reject.error();
    request.strict = *strict;
    request.rejectSoftAnomalies = *reject;
    request.batchMax = std::max(1, settings.batchMax);
    if (auto detected = sources::detectFormat(request.path, request.format); !detected)
        return Error::badRequest(detected.error().message);
    return request;
}

// CLI-9's failure for a run that failed (journalled, ING-9), as the CLI words it.
Error runFailure(const ingest::ImportReport &report)
{
    QStringList ids;
    for (const qint64 id : report.journalIds)
        ids << QString::number(id);
    Error failure = *report.runError;
    failure.message = ids.isEmpty()
        ? u"%1: a run failed (%2); expected the store to accept the rows"_s.arg(report.file, report.runError->message)
        : u"%1: a run failed and was journalled as ingest error %2 (%3); expected a retry with gapless errors "
          u"retry %2"_s.arg(report.file, ids.join(u", "_s), report.runError->message);
    return failure;
}

} // namespace

struct ImportJobHandler::Import
{
    ~Import()
    {
        // A core stopping while the file is still being read waits for the read to end.
        if (reader)
            reader->wait();
    }

    std::unique_ptr<ingest::FileImport> import;
    std::unique_ptr<QThread> reader;
    Result<void> prepared;
};

ImportJobHandler::ImportJobHandler(const Clock &clock, ingest::IngestWriter *writer,
                                   std::function<IngestSettings()> settings)
    : m_clock(clock)
    , m_writer(writer)
    , m_settings(std::move(settings))
{
}

ImportJobHandler::~ImportJobHandler() = default;

void ImportJobHandler::run(JobContext &context)
{
    auto request = importArgs(context.args(), m_settings());
    if (!request) {
        context.fail(request.error());
        return;
    }
    request->nowSeconds = m_clock.nowSeconds();
    const qint64 jobId = context.jobId();
    auto owned = std::make_unique<Import>();
    Import &import = *owned;
    m_imports[jobId] = std::move(owned);
    QObject::connect(context.guard(), &QObject::destroyed, [this, jobId] { m_imports.erase(jobId); });

    import.import = std::make_unique<ingest::FileImport>(m_writer);
    context.progress(0, std::nullopt, u"rows"_s, u"read"_s);
    // prepare() only fills the import's own fields; the thread's end publishes them here.
    import.reader.reset(QThread::create([&import, r = *request] { import.prepared = import.import->prepare(r); }));
    import.reader->setObjectName(u"gapless-import-%1"_s.arg(jobId));
    JobContext *ctx = &context;
    QObject::connect(import.reader.get(), &QThread::finished, context.guard(),
                     [this, ctx, &import] { write(*ctx, import); }, Qt::QueuedConnection);
    import.reader->start();
}

void ImportJobHandler::write(JobContext &context, Import &import)
{
    if (!import.prepared) {
        Error e = import.prepared.error();
        // The args name a file the core cannot use: bad args (PROTO-8), whatever the reason.
        if (e.code == ErrorCode::NotFound)
            e.code = ErrorCode::BadRequest;
        context.fail(e);
        return;
    }
    const ingest::ImportReport &prepared = import.import->report();
    if (prepared.strictRefused) {
        context.fail(Error::badRequest(u"%1: %2 of %3 rows rejected; expected every row valid with strict, nothing "
                                       u"was written"_s.arg(prepared.file).arg(prepared.rejected.size())
                                           .arg(prepared.rows)));
        return;
    }
    if (context.checkpoint() != Checkpoint::Continue) {
        context.stop();
        return;
    }
    const qint64 total = import.import->pendingRows();
    context.progress(0, total, u"rows"_s, u"import"_s);
    JobContext *ctx = &context;
    import.import->setSubmitter(
        [ctx](ingest::IngestRun run, std::function<void(const ingest::RunReport &)> done) {
            ctx->submit(std::move(run), std::move(done));
        },
        [ctx] {
            // JOB-10: a cancel or a fence stops the import at this run boundary.
            if (ctx->checkpoint() == Checkpoint::Continue)
                return true;
            ctx->stop();
            return false;
        });
    QObject::connect(import.import.get(), &ingest::FileImport::progressed, context.guard(),
                     [ctx](qint64 done, qint64 all) { ctx->progress(done, all, u"rows"_s, u"import"_s); });
    QObject::connect(import.import.get(), &ingest::FileImport::finished, context.guard(),
                     [ctx](const ingest::ImportReport &report) {
        if (report.runError) {
            ctx->fail(runFailure(report));
            return;
        }
        QJsonObject result = ingest::importReportJson(report);
        result.insert(u"job_id"_s, QString::number(ctx->jobId()));
        ctx->succeed(result);
    });
    import.import->start();
}

} // namespace gapless::jobs
