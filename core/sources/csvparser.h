#pragma once

#include "core/domain/result.h"
#include "core/sources/parsedfile.h"

#include <QByteArrayView>
#include <QString>

namespace gapless::sources {

/// Reads CSV candles (CLI-7): optional UTF-8 BOM; a header `time,open,high,low,close,volume`
/// (any case, `date` for `time`) whose delimiter, `,` `;` or TAB, holds for the whole file;
/// LF or CRLF; no quotes; blank lines skipped but counted. Blank lines before the header are
/// skipped too. An empty file, a missing or wrong header, a NUL byte or invalid UTF-8 reject
/// the file (bad_request, `displayName[:line]: ...`); a bad row becomes a LineError (DOM-6).
/// Rows are not checked for anomalies (DOM-7).
[[nodiscard]] Result<ParsedFile> parseCsv(const QString &displayName, QByteArrayView bytes);

} // namespace gapless::sources
