#include "core/repair/writerbridge.h"

#include <QEventLoop>

#include <future>

using namespace Qt::StringLiterals;

namespace gapless::repair {

Result<QJsonObject> onWriter(ingest::IngestWriter *writer, std::function<Result<QJsonObject>(store::CandleStore &)> work)
{
    std::promise<Result<QJsonObject>> answer;
    auto future = answer.get_future();
    writer->post([&answer, &work](store::CandleStore *store) {
        if (!store) {
            answer.set_value(Error::unavailable(u"store: not open; expected an open writer"_s));
            return;
        }
        answer.set_value(work(*store));
    });
    return future.get();
}

ingest::RunReport runAndWait(ingest::IngestWriter *writer, const ingest::IngestRun &run)
{
    QEventLoop loop;
    ingest::RunReport out;
    bool done = false;
    const auto c = QObject::connect(writer, &ingest::IngestWriter::runFinished, &loop,
                                    [&](const ingest::RunReport &report) {
                                        if (report.runId != run.runId)
                                            return;
                                        out = report;
                                        done = true;
                                        loop.quit();
                                    });
    writer->submit(run);
    if (!done)
        loop.exec();
    QObject::disconnect(c);
    return out;
}

std::optional<Error> runFailure(const ingest::RunReport &report)
{
    for (const ingest::SeriesOutcome &s : report.series) {
        if (!s.ok)
            return Error{s.error ? s.error->code : ErrorCode::Internal,
                         u"%1: step %2 failed: %3"_s.arg(s.series.toString(), s.failedStep,
                                                         s.error ? s.error->message : u"unknown"_s)};
    }
    return std::nullopt;
}

} // namespace gapless::repair
