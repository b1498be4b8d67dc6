#include "core/domain/canonicaljson.h"

#include "core/domain/numberformat.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>
#include <cmath>
#include <utility>

namespace gapless {

namespace {

void writeValue(QByteArray &out, const QJsonValue &value);

void writeString(QByteArray &out, const QString &text)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (const char c : text.toUtf8()) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (byte < 0x20) {
                out += "\\u00";
                out += kHex[byte >> 4];
                out += kHex[byte & 0xf];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

void writeNumber(QByteArray &out, const QJsonValue &value)
{
    const double d = value.toDouble();
    if (!std::isfinite(d)) { // Qt 6.4's toInteger() turns NaN into the qint64 minimum
        out += "null";
        return;
    }
    // Qt keeps integers read from JSON or built from qint64 exactly; toInteger() returns the
    // default for anything that is not a whole number within qint64, so two defaults tell.
    const qint64 asInteger = value.toInteger(0);
    if (asInteger == value.toInteger(1)) {
        out += QByteArray::number(asInteger);
        return;
    }
    out += formatNumber(d);
}

void writeObject(QByteArray &out, const QJsonObject &object)
{
    // QJsonObject orders keys by UTF-16 code units; C-3 wants UTF-8 byte order, which differs
    // for characters above U+FFFF against U+E000..U+FFFF.
    QList<std::pair<QByteArray, QString>> keys;
    keys.reserve(object.size());
    for (auto it = object.begin(); it != object.end(); ++it)
        keys.append({it.key().toUtf8(), it.key()});
    std::sort(keys.begin(), keys.end());
    out += '{';
    bool first = true;
    for (const auto &[utf8, key] : std::as_const(keys)) {
        if (!std::exchange(first, false))
            out += ',';
        writeString(out, key);
        out += ':';
        writeValue(out, object.value(key));
    }
    out += '}';
}

void writeArray(QByteArray &out, const QJsonArray &array)
{
    out += '[';
    bool first = true;
    for (const QJsonValue &element : array) {
        if (!std::exchange(first, false))
            out += ',';
        writeValue(out, element);
    }
    out += ']';
}

void writeValue(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool: out += value.toBool() ? "true" : "false"; break;
    case QJsonValue::Double: writeNumber(out, value); break;
    case QJsonValue::String: writeString(out, value.toString()); break;
    case QJsonValue::Array: writeArray(out, value.toArray()); break;
    case QJsonValue::Object: writeObject(out, value.toObject()); break;
    case QJsonValue::Null:
    case QJsonValue::Undefined: out += "null"; break;
    }
}

} // namespace

QByteArray canonicalJson(const QJsonValue &value)
{
    QByteArray out;
    writeValue(out, value);
    return out;
}

QByteArray canonicalJson(const QJsonObject &object)
{
    QByteArray out;
    writeObject(out, object);
    return out;
}

QByteArray canonicalJson(const QJsonArray &array)
{
    QByteArray out;
    writeArray(out, array);
    return out;
}

QByteArray sha256Hex(QByteArrayView data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

} // namespace gapless
