#include "core/jobs/idempotencykey.h"

#include "core/domain/canonicaljson.h"
#include "core/protocol/clientframe.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace gapless::jobs {

namespace {

QJsonValue orNull(const std::optional<qint64> &value)
{
    return value ? QJsonValue(double(*value)) : QJsonValue(QJsonValue::Null);
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

} // namespace

QJsonObject KeyRow::toJson() const
{
    QJsonValue result(QJsonValue::Null);
    if (!resultJson.isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(resultJson);
        result = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
    }
    return {
        {u"key"_s, key},
        {u"command"_s, command},
        {u"fingerprint"_s, fingerprint},
        {u"state"_s, state},
        {u"job_id"_s, jobId ? QJsonValue(QString::number(*jobId)) : QJsonValue(QJsonValue::Null)},
        {u"node_id"_s, nodeId},
        {u"result_json"_s, result},
        {u"error_code"_s, textOrNull(errorCode)},
        {u"error_message"_s, textOrNull(errorMessage)},
        {u"created_at_ms"_s, double(createdAtMs)},
        {u"updated_at_ms"_s, double(updatedAtMs)},
        {u"expires_at_ms"_s, orNull(expiresAtMs)},
    };
}

QString KeyRequest::fingerprint() const
{
    const QJsonObject whole{{u"args"_s, args}, {u"name"_s, command}};
    return QString::fromLatin1(sha256Hex(canonicalJson(whole)));
}

bool isBusinessError(ErrorCode code)
{
    switch (code) {
    case ErrorCode::BadRequest:
    case ErrorCode::NotFound:
    case ErrorCode::Conflict:
    case ErrorCode::TooLarge:
    case ErrorCode::IdempotencyMismatch:
        return true;
    default:
        return false;
    }
}

Result<void> checkKey(const QString &key)
{
    static const QRegularExpression kPattern(u"^[A-Za-z0-9._:-]{1,255}$"_s);
    if (kPattern.match(key).hasMatch())
        return {};
    return Error::badRequest(u"idempotency_key '%1': %2 chars; expected 1-255 of [A-Za-z0-9._:-] (IDEM-2)"_s
                                 .arg(key.left(64))
                                 .arg(key.size()));
}

Result<qint64> parseJobId(const QJsonValue &value, QStringView field)
{
    bool ok = false;
    const qint64 id = value.isString() ? value.toString().toLongLong(&ok) : 0;
    if (ok && id > 0)
        return id;
    return Error::badRequest(protocol::gotExpected(field, value, u"a job id as a decimal string (JOB-1)"));
}

} // namespace gapless::jobs
