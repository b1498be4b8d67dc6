#pragma once

#include <QByteArrayView>
#include <QString>

#include <string_view>

namespace gapless::sources {

/// Offset of the first NUL byte or the first byte of an invalid UTF-8 sequence (overlong,
/// surrogate, above U+10FFFF, cut short) in `bytes`, or -1 if the text is clean.
[[nodiscard]] qsizetype findBadTextByte(QByteArrayView bytes);

/// 1-based line and byte column of `offset` in `bytes`.
struct TextPosition
{
    qint64 line = 1;
    qint64 column = 1;
};
[[nodiscard]] TextPosition textPosition(QByteArrayView bytes, qsizetype offset);

/// `text` made safe to quote in a message: control bytes as `\xNN`, cut after 40 characters.
[[nodiscard]] QString excerpt(std::string_view text);

} // namespace gapless::sources
