#include "core/repair/conflictpolicy.h"

using namespace Qt::StringLiterals;

namespace gapless::repair {

QString policyName(ConflictPolicy policy)
{
    switch (policy) {
    case ConflictPolicy::SourceWins:
        return u"source_wins"_s;
    case ConflictPolicy::LocalWins:
        return u"local_wins"_s;
    case ConflictPolicy::ManualReview:
        return u"manual_review"_s;
    }
    return {};
}

Result<ConflictPolicy> parsePolicy(const QString &text)
{
    for (const ConflictPolicy p : {ConflictPolicy::SourceWins, ConflictPolicy::LocalWins, ConflictPolicy::ManualReview}) {
        if (text.trimmed() == policyName(p))
            return p;
    }
    return Error::badRequest(u"policy '%1': unknown; expected source_wins, local_wins or manual_review"_s.arg(text));
}

ConflictPolicy resolvePolicy(std::optional<ConflictPolicy> command, const SeriesId &series,
                             const RepairSettings &settings)
{
    return command ? *command : settings.policyFor(series);
}

} // namespace gapless::repair
