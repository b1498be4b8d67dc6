#include "core/runtime/failpoint.h"

#include <QSet>

#include <array>

using namespace Qt::StringLiterals;

namespace gapless {

namespace {

constexpr std::array<QStringView, 9> kNames{
    u"ingest.store",  u"ingest.factor", u"ingest.overlay", u"ingest.commit", u"ingest.publish",
    u"journal.write", u"source.rest",   u"source.stream",  u"job.heartbeat",
};

bool isDigits(QStringView text)
{
    if (text.isEmpty())
        return false;
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

// PROB is a plain decimal (`5`, `12.5`) so that `1e2%` or ` 5%` cannot slip through toDouble().
bool isDecimal(QStringView text)
{
    const qsizetype dot = text.indexOf(u'.');
    if (dot < 0)
        return isDigits(text);
    return isDigits(text.first(dot)) && isDigits(text.sliced(dot + 1));
}

Result<Failpoint> parseItem(QStringView item)
{
    const auto fail = [&](const QString &problem, const QString &expected) {
        return Error::badRequest(u"debug.failpoints item '%1': %2; expected %3"_s.arg(item, problem, expected));
    };
    Failpoint point;
    const qsizetype eq = item.indexOf(u'=');
    point.name = item.first(eq < 0 ? item.size() : eq).trimmed().toString();
    if (!failpointNames().contains(point.name))
        return fail(u"unknown failpoint"_s, u"one of "_s + failpointNames().join(u", "_s));
    if (eq < 0)
        return point;
    const QStringView arg = item.sliced(eq + 1).trimmed();
    if (arg.endsWith(u'%')) {
        const QStringView number = arg.first(arg.size() - 1);
        const double pct = number.toDouble();
        if (!isDecimal(number) || pct > 100)
            return fail(u"bad probability"_s, u"PROB% with PROB in [0, 100]"_s);
        point.trigger = Failpoint::Trigger::Probability;
        point.probabilityPercent = pct;
        return point;
    }
    bool ok = false;
    const int count = arg.toInt(&ok);
    if (!isDigits(arg) || !ok || count < 1)
        return fail(u"bad count"_s, u"COUNT in [1, 2147483647]"_s);
    point.trigger = Failpoint::Trigger::Count;
    point.count = count;
    return point;
}

} // namespace

QStringList failpointNames()
{
    QStringList names;
    for (const QStringView name : kNames)
        names << name.toString();
    return names;
}

Result<QList<Failpoint>> parseFailpoints(QStringView text)
{
    QList<Failpoint> points;
    if (text.trimmed().isEmpty())
        return points;
    QSet<QString> seen;
    for (const QStringView raw : text.split(u',')) {
        const QStringView item = raw.trimmed();
        if (item.isEmpty())
            return Error::badRequest(
                u"debug.failpoints '%1': empty item; expected NAME[=COUNT|=PROB%] between commas"_s.arg(text));
        auto point = parseItem(item);
        if (!point)
            return point.error();
        if (seen.contains(point->name))
            return Error::badRequest(
                u"debug.failpoints item '%1': repeated failpoint; expected each NAME once"_s.arg(item));
        seen.insert(point->name);
        points << std::move(point).value();
    }
    return points;
}

} // namespace gapless
