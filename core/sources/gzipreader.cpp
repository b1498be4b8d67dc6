#include "core/sources/gzipreader.h"

#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>

#include <zlib.h>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace gapless::sources {

namespace {

constexpr qsizetype kInputChunk = qsizetype(1) << 30;
// deflate cannot compress better than about 1032:1, so a larger size trailer is a lie.
constexpr qsizetype kMaxDeflateRatio = 1032;
constexpr qsizetype kMinInitialOutput = 4096;
// Past this the buffer grows by doubling, so a lying trailer cannot make us allocate much.
constexpr qsizetype kMaxInitialOutput = qsizetype(256) * 1024 * 1024;

/// A first output size from the last member's ISIZE trailer (size mod 2^32), kept sane.
qsizetype initialOutputSize(QByteArrayView bytes, qint64 maxBytes)
{
    qsizetype hint = bytes.size() * 4;
    if (bytes.size() >= 18) {
        const auto *t = reinterpret_cast<const uchar *>(bytes.data() + bytes.size() - 4);
        hint = qsizetype(t[0]) | qsizetype(t[1]) << 8 | qsizetype(t[2]) << 16 | qsizetype(t[3]) << 24;
    }
    const qsizetype ceiling = std::min({bytes.size() * kMaxDeflateRatio, kMaxInitialOutput, qsizetype(maxBytes) + 1});
    return std::max<qsizetype>(std::min(std::max(hint, kMinInitialOutput), ceiling), 1);
}

Error truncated(const QString &file)
{
    return Error::badRequest(u"%1: truncated gzip stream; expected a complete gzip file"_s.arg(file));
}

Error tooLarge(const QString &file, qint64 maxBytes)
{
    return {ErrorCode::TooLarge,
            u"%1: gzip data inflates to more than %2 bytes; expected at most %2 bytes"_s.arg(file).arg(maxBytes)};
}

/// Gives inflate more room, or fails once the output would pass `maxBytes`.
bool growOutput(QByteArray *out, qsizetype produced, qint64 maxBytes)
{
    if (produced < out->size())
        return true;
    if (out->size() > maxBytes)
        return false;
    out->resize(std::min<qsizetype>(out->size() * 2, qsizetype(maxBytes) + 1));
    return true;
}

} // namespace

bool isGzip(QByteArrayView bytes)
{
    return bytes.size() >= 2 && uchar(bytes[0]) == 0x1f && uchar(bytes[1]) == 0x8b;
}

Result<QByteArray> gunzip(const QString &displayName, QByteArrayView bytes, qint64 maxBytes)
{
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return Error::internal(u"%1: cannot start zlib; expected memory for inflate"_s.arg(displayName));
    const auto cleanup = qScopeGuard([&zs] { inflateEnd(&zs); });

    QByteArray out(initialOutputSize(bytes, maxBytes), Qt::Uninitialized);
    qsizetype produced = 0;
    qsizetype fed = 0; // bytes of `bytes` handed to zlib so far
    while (true) {
        if (zs.avail_in == 0 && fed < bytes.size()) {
            const qsizetype chunk = std::min(kInputChunk, bytes.size() - fed);
            zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data() + fed));
            zs.avail_in = uInt(chunk);
            fed += chunk;
        }
        if (!growOutput(&out, produced, maxBytes))
            return tooLarge(displayName, maxBytes);
        const qsizetype room = std::min<qsizetype>(out.size() - produced, std::numeric_limits<uInt>::max());
        zs.next_out = reinterpret_cast<Bytef *>(out.data() + produced);
        zs.avail_out = uInt(room);
        const int status = inflate(&zs, Z_NO_FLUSH);
        produced += room - qsizetype(zs.avail_out);
        const qsizetype consumed = fed - qsizetype(zs.avail_in);
        if (status == Z_STREAM_END) {
            if (consumed == bytes.size())
                break;
            const QByteArrayView rest = bytes.sliced(consumed);
            if (rest.size() == 1 && uchar(rest[0]) == 0x1f)
                return truncated(displayName); // the next member's magic, cut after one byte
            if (!isGzip(rest))
                return Error::badRequest(u"%1: %2 %3 of trailing data after the gzip stream at byte %4; "
                                         u"expected the end of the file or another gzip member"_s.arg(displayName)
                                             .arg(rest.size())
                                             .arg(rest.size() == 1 ? u"byte"_s : u"bytes"_s)
                                             .arg(consumed));
            inflateReset(&zs);
            continue;
        }
        if (status == Z_DATA_ERROR)
            return Error::badRequest(
                u"%1: corrupt gzip data at byte %2 (zlib: %3); expected a valid gzip file"_s.arg(displayName)
                    .arg(consumed)
                    .arg(QString::fromLatin1(zs.msg ? zs.msg : "data error")));
        if (status == Z_MEM_ERROR || status == Z_STREAM_ERROR || status == Z_NEED_DICT)
            return Error::internal(
                u"%1: zlib failed with status %2; expected to inflate the file"_s.arg(displayName).arg(status));
        if (zs.avail_in == 0 && fed == bytes.size() && zs.avail_out > 0)
            return truncated(displayName);
    }
    if (produced > maxBytes)
        return tooLarge(displayName, maxBytes);
    out.resize(produced);
    return out;
}

Result<QByteArray> readFileBytes(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error::notFound(u"%1: no such file; expected an existing candle file"_s.arg(path));
    if (info.isDir())
        return Error::badRequest(u"%1: is a directory; expected a candle file"_s.arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::badRequest(u"%1: cannot open (%2); expected a readable file"_s.arg(path, file.errorString()));
    if (file.size() > kMaxFileBytes)
        return Error{
            ErrorCode::TooLarge,
            u"%1: file of %2 bytes; expected at most %3 bytes"_s.arg(path).arg(file.size()).arg(kMaxFileBytes)};
    QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return Error::badRequest(u"%1: read failed (%2); expected a readable file"_s.arg(path, file.errorString()));
    if (isGzip(bytes))
        return gunzip(path, bytes);
    return bytes;
}

} // namespace gapless::sources
