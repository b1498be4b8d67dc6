#pragma once

#include "core/protocol/client.h"
#include "tests/protocol/scriptedserver.h"

#include <QJsonObject>

namespace gapless::test {

/// The `command` frame named `name` that the server received, waiting up to 5 s for it;
/// `nth` counts from 0 among those of that name. Empty if it did not come.
[[nodiscard]] QJsonObject waitForCommand(const ScriptedServer &server, QStringView name, int nth = 0);

/// Answers the nth `name` command with ok:true and `data`; false if it did not come.
[[nodiscard]] bool answerCommand(ScriptedServer &server, QStringView name, const QJsonValue &data, int nth = 0);

/// A topic frame (`health`, `progress`, `ingest_error`, `job`) with `fields` at top level.
[[nodiscard]] QJsonObject topicFrame(QStringView type, const QJsonObject &fields);

/// Client options for `url` with the defaults.
[[nodiscard]] protocol::ClientOptions clientOptions(const QUrl &url);

} // namespace gapless::test
