#include "core/domain/error.h"

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace gapless {

namespace {

constexpr std::array<std::pair<ErrorCode, QStringView>, 12> kNames{{
    {ErrorCode::BadRequest, u"bad_request"},
    {ErrorCode::Unauthorized, u"unauthorized"},
    {ErrorCode::NotFound, u"not_found"},
    {ErrorCode::Conflict, u"conflict"},
    {ErrorCode::IdempotencyMismatch, u"idempotency_mismatch"},
    {ErrorCode::InProgress, u"in_progress"},
    {ErrorCode::Capacity, u"capacity"},
    {ErrorCode::TooLarge, u"too_large"},
    {ErrorCode::RateLimited, u"rate_limited"},
    {ErrorCode::Unavailable, u"unavailable"},
    {ErrorCode::Timeout, u"timeout"},
    {ErrorCode::Internal, u"internal"},
}};

} // namespace

QString errorCodeName(ErrorCode code)
{
    for (const auto &[value, name] : kNames) {
        if (value == code)
            return name.toString();
    }
    return u"internal"_s;
}

bool errorCodeFromName(QStringView name, ErrorCode *code)
{
    for (const auto &[value, text] : kNames) {
        if (text == name) {
            *code = value;
            return true;
        }
    }
    return false;
}

} // namespace gapless
