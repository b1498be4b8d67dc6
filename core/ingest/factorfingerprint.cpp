#include "core/ingest/factorfingerprint.h"

#include "core/domain/canonicaljson.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace gapless {

QByteArray FactorFingerprint::json() const
{
    return canonicalJson(QJsonObject{
        {u"pen"_s, QJsonObject{{u"logic"_s, penLogic}}},
        {u"pivot"_s, QJsonObject{{u"logic"_s, pivotLogic}, {u"major"_s, majorWindow}, {u"minor"_s, minorWindow}}},
        {u"salt"_s, salt},
    });
}

QByteArray FactorFingerprint::hex() const
{
    return sha256Hex(json());
}

} // namespace gapless
