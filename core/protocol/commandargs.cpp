#include "core/protocol/commandargs.h"

#include "core/protocol/clientframe.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace gapless::protocol {

namespace {

constexpr QStringView kSeriesName = u"series_id";
const QString kSeriesExpected = u"a series id exchange:market:symbol:timeframe"_s;

/// Beyond this length (trimmed) no text canonicalises to an id of SeriesId::kMaxLength
/// characters, so the text is not worth parsing or echoing in full.
constexpr qsizetype kMaxSeriesText = 2 * SeriesId::kMaxLength;

QString rangeText(qint64 min, qint64 max)
{
    const QString upper = max == kMaxJsonInteger ? u"2^53"_s : QString::number(max);
    return u"an integer in %1..%2"_s.arg(QString::number(min), upper);
}

} // namespace

Result<std::optional<qint64>> optionalIntegerArg(const QJsonObject &args, QLatin1StringView name, qint64 min,
                                                 qint64 max)
{
    const QJsonValue value = args.value(name);
    if (value.isUndefined() || value.isNull())
        return std::optional<qint64>();
    const auto bad = [&] { return Error::badRequest(gotExpected(QString(name), value, rangeText(min, max))); };
    if (!value.isDouble())
        return bad();
    // Compare as double first so that huge values cannot overflow, then exactly: an integer
    // above 2^53 may round to an in-range double.
    const double d = value.toDouble();
    if (!std::isfinite(d) || d != std::floor(d) || d < double(min) || d > double(max))
        return bad();
    const qint64 n = value.toInteger(min - 1);
    if (n < min || n > max)
        return bad();
    return std::optional<qint64>(n);
}

Result<qint64> integerArg(const QJsonObject &args, QLatin1StringView name, qint64 min, qint64 max, qint64 fallback)
{
    auto value = optionalIntegerArg(args, name, min, max);
    if (!value)
        return value.error();
    return value->value_or(fallback);
}

Result<std::optional<SeriesId>> optionalSeriesArg(const QJsonObject &args)
{
    const QJsonValue value = args.value(kSeriesName);
    if (value.isUndefined() || value.isNull())
        return std::optional<SeriesId>();
    if (!value.isString())
        return Error::badRequest(gotExpected(kSeriesName, value, kSeriesExpected));
    const QString text = value.toString();
    if (QStringView(text).trimmed().size() > kMaxSeriesText)
        return Error::badRequest(gotExpected(
            kSeriesName, value, u"a series id of at most %1 characters"_s.arg(SeriesId::kMaxLength)));
    auto id = SeriesId::parse(text);
    if (!id)
        return Error::badRequest(u"series_id: "_s + id.error().message);
    if (id->exchange() == "binance"_L1 && id->market() != "spot"_L1 && id->market() != "futures"_L1)
        return Error::badRequest(u"series_id '%1': binance market '%2' has no source; expected spot or futures"_s.arg(
            id->toString(), id->market()));
    return std::optional<SeriesId>(*id);
}

Result<SeriesId> seriesArg(const QJsonObject &args)
{
    auto id = optionalSeriesArg(args);
    if (!id)
        return id.error();
    if (!*id)
        return Error::badRequest(gotExpected(kSeriesName, args.value(kSeriesName), kSeriesExpected));
    return **id;
}

} // namespace gapless::protocol
