#include "tests/jobs/jobsession.h"

#include "core/repair/writerbridge.h"
#include "core/store/sqlexec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace gapless::test {

namespace {

QString type(const QJsonObject &f)
{
    return f.value("type"_L1).toString();
}

bool terminal(const QString &state)
{
    return state == "succeeded"_L1 || state == "failed"_L1 || state == "cancelled"_L1;
}

} // namespace

JobSession::JobSession(TestCore &core)
    : m_core(core)
{
}

bool JobSession::open()
{
    if (!m_client.open(m_core.url()))
        return false;
    m_client.sendJson({{u"type"_s, u"watch"_s}, {u"topic"_s, u"jobs"_s}});
    return true;
}

QJsonObject JobSession::run(const QString &name, const QJsonObject &args, const QString &key)
{
    const QString id = u"q%1"_s.arg(++m_request);
    QJsonObject frame{{u"type"_s, u"command"_s}, {u"request_id"_s, id}, {u"name"_s, name}, {u"args"_s, args}};
    if (!key.isEmpty())
        frame.insert(u"idempotency_key"_s, key);
    m_client.sendJson(frame);
    return m_client.waitFor([&](const QJsonObject &f) {
        return type(f) == "result"_L1 && f.value("request_id"_L1).toString() == id;
    });
}

QJsonObject JobSession::finish(const QString &jobId)
{
    return m_client.waitFor([&](const QJsonObject &f) {
        return type(f) == "job"_L1 && f.value("job_id"_L1).toString() == jobId
               && terminal(f.value("state"_L1).toString());
    }, 30000);
}

QJsonObject JobSession::runJob(const QString &name, const QJsonObject &args, const QString &key)
{
    const QJsonObject r = run(name, args, key);
    if (!r.value("ok"_L1).toBool() || data(r).value("state"_L1).toString() != "queued"_L1) {
        qWarning().noquote() << name << "not accepted:" << QJsonDocument(r).toJson(QJsonDocument::Compact);
        return {};
    }
    return finish(data(r).value("job_id"_L1).toString());
}

QVariantList JobSession::query(const QString &sql, const QVariantList &binds)
{
    return m_core.query(sql, binds);
}

QString JobSession::code(const QJsonObject &result)
{
    return result.value("error"_L1).toObject().value("code"_L1).toString();
}

QString JobSession::message(const QJsonObject &result)
{
    return result.value("error"_L1).toObject().value("message"_L1).toString();
}

QJsonObject JobSession::data(const QJsonObject &result)
{
    return result.value("data"_L1).toObject();
}

} // namespace gapless::test
