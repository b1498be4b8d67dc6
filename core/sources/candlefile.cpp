#include "core/sources/candlefile.h"

#include "core/sources/csvparser.h"
#include "core/sources/freqtradeparser.h"
#include "core/sources/gzipreader.h"

namespace gapless::sources {

Result<ParsedFile> readCandleFile(const QString &path, FileFormat format)
{
    const Result<QByteArray> bytes = readFileBytes(path);
    if (!bytes)
        return bytes.error();
    switch (format) {
    case FileFormat::Csv:
        return parseCsv(path, *bytes);
    case FileFormat::Freqtrade:
        return parseFreqtrade(path, *bytes);
    }
    return parseCsv(path, *bytes);
}

} // namespace gapless::sources
