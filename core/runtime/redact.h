#pragma once

#include <QString>

namespace gapless {

/// SEC-4, DOM-13: a URL fit to print. `postgresql://user:secret@host/db` becomes
/// `postgresql://user:***@host/db`, a `password=` query parameter likewise; a URL without a
/// password and a plain path come back unchanged.
[[nodiscard]] QString redactUrl(const QString &url);

} // namespace gapless
