#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <zlib.h>

namespace gapless::test {

/// `data` as one gzip member, made in-process (deflateInit2 with 31 window bits) so the
/// tests need no gzip tool. Empty on a zlib failure, which the caller's checks then catch.
inline QByteArray gzipped(QByteArrayView data)
{
    z_stream zs{};
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out(qsizetype(deflateBound(&zs, uLong(data.size()))), Qt::Uninitialized);
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    zs.avail_in = uInt(data.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = uInt(out.size());
    const int status = deflate(&zs, Z_FINISH);
    out.resize(qsizetype(zs.total_out));
    deflateEnd(&zs);
    return status == Z_STREAM_END ? out : QByteArray();
}

} // namespace gapless::test
