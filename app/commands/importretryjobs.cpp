// `import` and `errors retry` through the job system (CLI-14, D-CLI-10): the same words as
// their direct runs, printed from the job's result.
#include "app/commands/importretryjobs.h"

#include "app/commands/backfillcommand.h"
#include "app/progressbar.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

qint64 count(const QJsonObject &r, const char *field)
{
    return r.value(QLatin1String(field)).toInteger();
}

// CLI-9: one stderr line per rejected row and per kept anomaly, as the direct run prints them.
void reportRows(const Output &out, const QJsonObject &r)
{
    const QString file = r.value("file"_L1).toString();
    for (const QJsonValue &v : r.value("rejected"_L1).toArray()) {
        const QJsonObject row = v.toObject();
        const QString prefix = u"%1:%2: "_s.arg(file).arg(row.value("line"_L1).toInteger());
        QStringList reasons;
        for (const QJsonValue &reason : row.value("reasons"_L1).toArray())
            reasons << reason.toString();
        const QString message = row.value("message"_L1).toString();
        const QString detail = message.startsWith(prefix) ? message.mid(prefix.size()) : message;
        out.warning(prefix + reasons.join(u',') + u": "_s + detail);
    }
    for (const QJsonValue &v : r.value("anomalies"_L1).toArray()) {
        const QJsonObject row = v.toObject();
        out.warning(u"%1:%2: warning: %3"_s.arg(file).arg(row.value("line"_L1).toInteger()).arg(
            row.value("kind"_L1).toString()));
    }
}

} // namespace

bool runsAsJob(const CommandContext &ctx, const JobRoute &route)
{
    return route.connect || ctx.options.idempotencyKey;
}

int runImportJob(const CommandContext &ctx, const JobRoute &route, const QJsonObject &args)
{
    ProgressBar bar(u"import"_s, u"rows"_s, ProgressBar::wanted(ctx.options.noProgress));
    const JobOutcome outcome = runJob(ctx, route, u"import"_s, args, [&bar](const QJsonObject &p) {
        if (p.value("total"_L1).toInteger() > 0)
            bar.update(p.value("done"_L1).toInteger(), p.value("total"_L1).toInteger());
    });
    bar.finish();
    return finishJob(ctx, outcome, [&](const QJsonObject &r) {
        reportRows(ctx.out, r);
        if (ctx.options.json)
            ctx.out.document(r);
        else
            ctx.out.line(u"%1 rows, %2 inserted, %3 updated, %4 identical, %5 rejected, %6 anomalies"_s
                             .arg(count(r, "rows"))
                             .arg(count(r, "inserted"))
                             .arg(count(r, "updated"))
                             .arg(count(r, "identical"))
                             .arg(r.value("rejected"_L1).toArray().size())
                             .arg(r.value("anomalies"_L1).toArray().size()));
        return r.value("rejected"_L1).toArray().isEmpty() ? ExitOk : ExitProblems;
    });
}

int runErrorsRetryJob(const CommandContext &ctx, const JobRoute &route, qint64 id)
{
    const JobOutcome outcome = runJob(ctx, route, u"retry_error"_s, QJsonObject{{u"id"_s, double(id)}});
    return finishJob(ctx, outcome, [&](const QJsonObject &r) {
        if (ctx.options.json) {
            ctx.out.document(r);
            return ExitOk;
        }
        const QString runId = QString::number(count(r, "run_id"));
        if (r.contains("retry_job_id"_L1)) { // a `job` row: its job ran again (D-JOB-10)
            ctx.out.line(u"ingest error %1 resolved by %2 job %3"_s.arg(QString::number(id),
                                                                        r.value("kind"_L1).toString(),
                                                                        r.value("retry_job_id"_L1).toString()));
        } else if (r.contains("slots"_L1)) { // a `fetch` row: its range backfilled again (BF-23)
            for (const QJsonValue &e : r.value("errors"_L1).toArray())
                ctx.out.warning(u"gapless: errors retry: "_s + e.toString());
            ctx.out.line(backfillResultLine(r));
            ctx.out.line(u"ingest error %1 resolved by run %2"_s.arg(QString::number(id), runId));
        } else {
            ctx.out.line(u"ingest error %1 resolved by run %2: %3 inserted, %4 updated, %5 identical"_s
                             .arg(QString::number(id), runId)
                             .arg(count(r, "inserted"))
                             .arg(count(r, "updated"))
                             .arg(count(r, "identical")));
        }
        return ExitOk;
    });
}

} // namespace gapless::app
