#pragma once

#include "core/domain/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace gapless::sources {

/// Largest file or decompressed stream the readers accept: 2 GiB.
inline constexpr qint64 kMaxFileBytes = qint64(2) * 1024 * 1024 * 1024;

/// True if `bytes` start with the gzip magic 1f 8b.
[[nodiscard]] bool isGzip(QByteArrayView bytes);

/// Inflates a gzip stream of one or more members (CLI-6). A stream cut short, bad data or a
/// bad CRC, or bytes after the last member is bad_request naming `displayName`; more than
/// `maxBytes` of output is too_large.
[[nodiscard]] Result<QByteArray> gunzip(const QString &displayName, QByteArrayView bytes,
                                        qint64 maxBytes = kMaxFileBytes);

/// The bytes of the file at `path`, inflated when they start with the gzip magic whatever the
/// extension. A missing file is not_found; an unreadable or bad file bad_request, naming `path`.
[[nodiscard]] Result<QByteArray> readFileBytes(const QString &path);

} // namespace gapless::sources
