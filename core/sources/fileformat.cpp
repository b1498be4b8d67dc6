#include "core/sources/fileformat.h"

using namespace Qt::StringLiterals;

namespace gapless::sources {

QString fileFormatName(FileFormat format)
{
    switch (format) {
    case FileFormat::Csv:
        return u"csv"_s;
    case FileFormat::Freqtrade:
        return u"freqtrade"_s;
    }
    return u"csv"_s;
}

Result<FileFormat> detectFormat(const QString &path, const QString &explicitFormat)
{
    if (!explicitFormat.isEmpty()) {
        if (explicitFormat.compare(u"csv"_s, Qt::CaseInsensitive) == 0)
            return FileFormat::Csv;
        if (explicitFormat.compare(u"freqtrade"_s, Qt::CaseInsensitive) == 0)
            return FileFormat::Freqtrade;
        return Error::badRequest(u"format '%1': unknown file format; expected csv or freqtrade"_s.arg(explicitFormat));
    }
    QStringView name(path);
    if (name.endsWith(u".gz", Qt::CaseInsensitive))
        name.chop(3);
    if (name.endsWith(u".csv", Qt::CaseInsensitive))
        return FileFormat::Csv;
    if (name.endsWith(u".json", Qt::CaseInsensitive))
        return FileFormat::Freqtrade;
    return Error::badRequest(u"%1: cannot tell the file format from the name; expected a name ending in "
                             u".csv, .csv.gz, .json or .json.gz, or --format csv|freqtrade"_s.arg(path));
}

} // namespace gapless::sources
