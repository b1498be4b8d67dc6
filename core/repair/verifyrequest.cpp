#include "core/repair/verifyrequest.h"

using namespace Qt::StringLiterals;

namespace gapless::repair {

Result<SourceSpec> SourceSpec::parse(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty() || t == u"exchange"_s)
        return SourceSpec{};
    if (t.startsWith(u"file:"_s) && t.size() > 5)
        return SourceSpec{true, t.sliced(5)};
    return Error::badRequest(u"source '%1': unknown source; expected exchange or file:PATH"_s.arg(text));
}

Result<VerifyRequest> makeVerifyRequest(const SeriesId &series, qint64 from, qint64 to, const QString &source,
                                        qint64 nowSeconds)
{
    const qint64 tf = series.timeframe().seconds();
    if (from % tf != 0)
        return Error::badRequest(u"from %1: not aligned to %2; expected a multiple of %3 s"_s.arg(from).arg(
            series.timeframe().toString()).arg(tf));
    if (to % tf != 0)
        return Error::badRequest(u"to %1: not aligned to %2; expected a multiple of %3 s"_s.arg(to).arg(
            series.timeframe().toString()).arg(tf));
    if (from >= to)
        return Error::badRequest(u"from %1, to %2: empty range; expected from < to"_s.arg(from).arg(to));
    auto spec = SourceSpec::parse(source);
    if (!spec)
        return spec.error();
    if (!spec->isFile && (series.exchange() != u"binance"_s
                          || (series.market() != u"spot"_s && series.market() != u"futures"_s)))
        return Error::badRequest(u"source exchange for %1: no network source; expected a binance spot or futures "
                                 u"series, or file:PATH (DOM-3)"_s.arg(series.toString()));
    const qint64 closedEnd = series.timeframe().floor(nowSeconds); // bars before it are closed
    const qint64 clipped = std::min(to, closedEnd);
    if (from >= clipped)
        return Error::badRequest(u"from %1: no closed bar in [%1, %2) at %3; expected an earlier range"_s.arg(from).arg(
            to).arg(nowSeconds));
    return VerifyRequest{series, from, clipped, *spec};
}

} // namespace gapless::repair
