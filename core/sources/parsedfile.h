#pragma once

#include "core/domain/candle.h"
#include "core/sources/fileformat.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace gapless::sources {

/// One candle read from a file, not yet checked for anomalies (DOM-7 is the validator's job).
struct ParsedRow
{
    /// CSV: the file line (header = line 1); freqtrade: the element index from 1.
    qint64 line = 0;
    Candle candle;
};

/// A line that is not a row (DOM-6); it takes no part in DOM-7 or DOM-10.
struct LineError
{
    /// Same numbering as ParsedRow::line.
    qint64 line = 0;
    /// `malformed` or `not_finite`.
    QString reason;
    /// `<problem>; expected <what>`, without the file or line (the caller prefixes them, CLI-9).
    QString detail;
};

/// What a reader made of a whole file: rows and line errors, each in file order.
struct ParsedFile
{
    /// The name used in messages: the path as the user gave it.
    QString file;
    FileFormat format = FileFormat::Csv;
    QList<ParsedRow> rows;
    QList<LineError> errors;
    /// CSV: physical lines including the header and blank lines; freqtrade: elements.
    qint64 lineCount = 0;
};

} // namespace gapless::sources

Q_DECLARE_METATYPE(gapless::sources::ParsedFile)
