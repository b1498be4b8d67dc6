#include "core/runtime/settingrules.h"

#include "core/runtime/settings.h"
#include "core/runtime/settingspec.h"
#include "core/runtime/settingvalue.h"

#include <array>

using namespace Qt::StringLiterals;

namespace gapless {

namespace {

// `key` >= mul·ref + add (atLeast), or `key` <= mul·ref + add.
struct Rule
{
    QStringView key;
    QStringView ref;
    bool atLeast;
    qint64 mul;
    qint64 add;
};

constexpr std::array<Rule, 4> kRules{{
    {u"factor.pivot_window_minor", u"factor.pivot_window_major", false, 1, -1},   // FAC-8
    {u"health.stale_window_candles", u"health.fresh_window_candles", true, 1, 1}, // HLT-3
    {u"jobs.zombie_timeout_s", u"jobs.heartbeat_interval_s", true, 3, 0},         // JOB-8
    {u"jobs.retry_base_ms", u"jobs.retry_cap_ms", false, 1, 0},                   // IDEM-13
}};

QString offsetText(qint64 add)
{
    if (add > 0)
        return u" + %1"_s.arg(add);
    if (add < 0)
        return u" - %1"_s.arg(-add);
    return {};
}

// "3 x jobs.heartbeat_interval_s = 15"
QString boundText(const Rule &rule, qint64 bound)
{
    const QString term = rule.mul == 1 ? rule.ref.toString() : u"%1 x %2"_s.arg(rule.mul).arg(rule.ref);
    return term + offsetText(rule.add) + u" = %1"_s.arg(bound);
}

// The rule solved for `ref`: "jobs.zombie_timeout_s / 3 = 10", "health.stale_window_candles - 1 = 4".
QString inverseText(const Rule &rule, qint64 bound)
{
    QString term = rule.key.toString() + offsetText(-rule.add);
    if (rule.mul != 1)
        term = (rule.add != 0 ? u'(' + term + u')' : term) + u" / %1"_s.arg(rule.mul);
    return term + u" = %1"_s.arg(bound);
}

qint64 floorDiv(qint64 a, qint64 b)
{
    return a / b - (a % b != 0 && a < 0 ? 1 : 0);
}

qint64 ceilDiv(qint64 a, qint64 b)
{
    return a / b + (a % b != 0 && a > 0 ? 1 : 0);
}

Error ruleError(const Settings &settings, const SettingSpec &spec, const QString &lower, const QString &upper)
{
    const QString key = spec.key.toString();
    return settingValueError(spec, settings.stringValue(key), settings.origin(key),
                             u"%1 in [%2, %3]"_s.arg(settingTypeName(spec.type), lower, upper));
}

} // namespace

Result<void> checkSettingRules(const Settings &settings, QStringView changedKey)
{
    for (const Rule &rule : kRules) {
        const qint64 value = settings.intValue(rule.key);
        const qint64 ref = settings.intValue(rule.ref);
        const qint64 bound = rule.mul * ref + rule.add;
        if (rule.atLeast ? value >= bound : value <= bound)
            continue;
        const SettingSpec &keySpec = *findSettingSpec(rule.key);
        const SettingSpec &refSpec = *findSettingSpec(rule.ref);
        const bool blameRef = changedKey.isEmpty() ? static_cast<int>(settings.source(rule.ref)) >
                                                         static_cast<int>(settings.source(rule.key))
                                                   : changedKey == rule.ref;
        if (!blameRef) {
            const QString limit = boundText(rule, bound);
            return rule.atLeast ? ruleError(settings, keySpec, limit, QString::number(keySpec.max))
                                : ruleError(settings, keySpec, QString::number(keySpec.min), limit);
        }
        if (rule.atLeast) {
            const QString limit = inverseText(rule, floorDiv(value - rule.add, rule.mul));
            return ruleError(settings, refSpec, QString::number(refSpec.min), limit);
        }
        const QString limit = inverseText(rule, ceilDiv(value - rule.add, rule.mul));
        return ruleError(settings, refSpec, limit, QString::number(refSpec.max));
    }
    return {};
}

} // namespace gapless
