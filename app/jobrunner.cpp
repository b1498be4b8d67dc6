#include "app/jobrunner.h"

#include "app/jobchannel.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUuid>

#include <map>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

Result<QUrl> parseConnect(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != "ws"_L1 || url.host().isEmpty() || url.port() <= 0
        || !url.userInfo().isEmpty() || url.hasQuery() || url.hasFragment()
        || !(url.path().isEmpty() || url.path() == "/"_L1 || url.path() == "/ws/market"_L1))
        return Error::badRequest(u"--connect '%1': not a core address; expected ws://HOST:PORT"_s.arg(text));
    QUrl market = url;
    market.setPath(u"/ws/market"_s);
    return market;
}

Result<QString> checkedKey(const QString &key)
{
    static const QRegularExpression pattern(u"^[A-Za-z0-9._:-]{1,255}$"_s);
    if (!pattern.match(key).hasMatch())
        return Error::badRequest(u"--idempotency-key '%1': not a key; expected 1 to 255 characters of A-Z, a-z, 0-9 "
                                 u"and . _ : - (IDEM-2)"_s.arg(key));
    return key;
}

bool isTerminal(const QString &state)
{
    return state == "succeeded"_L1 || state == "failed"_L1 || state == "cancelled"_L1;
}

Error jobError(const QJsonObject &event)
{
    const QJsonObject error = event.value("error"_L1).toObject();
    ErrorCode code = ErrorCode::Internal;
    if (!errorCodeFromName(error.value("code"_L1).toString(), &code))
        code = ErrorCode::Internal;
    const QString message = error.value("message"_L1).toString();
    return Error{code, message.isEmpty() ? u"job %1: %2"_s.arg(event.value("job_id"_L1).toString(),
                                                              event.value("state"_L1).toString())
                                         : message};
}

} // namespace

Result<JobRoute> takeJobRoute(const CommandContext &ctx, QStringList *arguments)
{
    JobRoute route;
    for (qsizetype i = 0; i < arguments->size();) {
        const QString &arg = arguments->at(i);
        if (arg != "--connect"_L1 || i + 1 >= arguments->size()) {
            ++i;
            continue;
        }
        auto url = parseConnect(arguments->at(i + 1));
        if (!url)
            return url.error();
        route.connect = *url;
        arguments->remove(i, 2);
    }
    bool hasDb = false;
    for (const CliSetting &setting : ctx.options.settings) {
        if (setting.option == "--token"_L1)
            route.token = setting.text;
        hasDb = hasDb || setting.option == "--db"_L1;
    }
    if (route.connect && hasDb)
        return Error::badRequest(u"--connect with --db: the remote core has its own database; expected one of them"_s);
    if (!ctx.options.idempotencyKey) {
        route.key = QUuid::createUuid().toString(QUuid::WithoutBraces);
    } else {
        auto key = checkedKey(*ctx.options.idempotencyKey);
        if (!key)
            return key.error();
        route.key = *key;
    }
    return route;
}

JobOutcome runJob(const CommandContext &ctx, const JobRoute &route, const QString &name, const QJsonObject &args,
                  const JobProgress &progress)
{
    std::unique_ptr<JobChannel> channel = route.connect ? remoteJobChannel(*route.connect, route.token)
                                                        : localJobChannel(ctx);
    QEventLoop loop;
    JobOutcome out;
    bool done = false;
    bool opened = false;
    std::map<QString, QJsonObject> ended; // terminal events of jobs not (yet) known to be ours
    const auto finish = [&](JobOutcome outcome) {
        if (done)
            return;
        done = true;
        out = std::move(outcome);
        loop.quit();
    };
    const auto finishEvent = [&](const QJsonObject &event) {
        JobOutcome o;
        o.jobId = event.value("job_id"_L1).toString();
        if (event.value("state"_L1).toString() == "succeeded"_L1)
            o.result = event.value("result"_L1).toObject();
        else
            o.result = jobError(event);
        finish(o);
    };
    QString waiting;
    const auto waitFor = [&](const QString &jobId) {
        waiting = jobId;
        if (const auto it = ended.find(jobId); it != ended.end())
            finishEvent(it->second);
    };
    const auto onEvent = [&](const QJsonObject &event) {
        const QString id = event.value("job_id"_L1).toString();
        if (id == waiting && progress)
            progress(event.value("progress"_L1).toObject());
        if (isTerminal(event.value("state"_L1).toString())) {
            if (id == waiting)
                finishEvent(event);
            else
                ended[id] = event;
        }
    };
    const auto onAnswer = [&](const protocol::CommandAnswer &answer) {
        if (!answer.result) {
            const QJsonValue jobId = answer.errorData.value("job_id"_L1);
            if (answer.result.error().code == ErrorCode::InProgress && jobId.isString()) {
                waitFor(jobId.toString()); // IDEM-6: the first run's job is still going
                return;
            }
            finish({answer.result.error(), {}, answer.replayed});
            return;
        }
        const QJsonObject data = answer.result->toObject();
        if (answer.replayed) { // IDEM-8: a job's cached {job_id, state, result}, or a synchronous answer
            if (data.contains("result"_L1))
                finish({data.value("result"_L1).toObject(), data.value("job_id"_L1).toString(), true});
            else
                finish({data, {}, true});
            return;
        }
        if (data.value("state"_L1).toString() == "queued"_L1 && data.value("job_id"_L1).isString()) {
            waitFor(data.value("job_id"_L1).toString());
            return;
        }
        finish({data, {}, false});
    };
    channel->open(onEvent, [&](const std::optional<Error> &error) {
        if (error) {
            finish({*error, waiting, false});
            return;
        }
        if (opened)
            return;
        opened = true;
        channel->send(name, args, route.key, onAnswer);
    });
    if (!done)
        loop.exec();
    return out;
}

int finishJob(const CommandContext &ctx, const JobOutcome &outcome, const std::function<int(const QJsonObject &)> &print)
{
    if (outcome.replayed)
        ctx.out.warning(u"(replayed)"_s);
    if (!outcome.result) {
        const Error &error = outcome.result.error();
        ctx.out.warning(u"gapless: "_s + error.message);
        if (ctx.options.json) {
            QJsonObject doc{{u"error"_s, QJsonObject{{u"code"_s, error.codeName()}, {u"message"_s, error.message}}}};
            if (outcome.replayed)
                doc.insert(u"replayed"_s, true);
            ctx.out.document(doc);
        }
        return ExitFailure;
    }
    QJsonObject result = *outcome.result;
    if (outcome.replayed && ctx.options.json)
        result.insert(u"replayed"_s, true);
    return print(result);
}

} // namespace gapless::app
