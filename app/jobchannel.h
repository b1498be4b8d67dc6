#pragma once

#include "app/commandcontext.h"
#include "core/protocol/servercontext.h"

#include <QJsonObject>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

namespace gapless::app {

/// Where a job subcommand's job runs (CLI-14): a core in this process on `--db`, or a running
/// core at `--connect`. Lives on the CLI's thread; every callback runs there.
class JobChannel
{
public:
    /// Nothing once commands can be sent; later, an error when the core is gone for good.
    using Ready = std::function<void(const std::optional<Error> &)>;
    using Reply = std::function<void(const protocol::CommandAnswer &)>;
    /// A `job` event's fields (JOB-11).
    using Events = std::function<void(const QJsonObject &)>;

    virtual ~JobChannel() = default;
    /// Opens the channel; job events reach `events` from before `ready` on.
    virtual void open(Events events, Ready ready) = 0;
    /// Sends a command under `key` (IDEM-2); `reply` gets its answer once.
    virtual void send(const QString &name, const QJsonObject &args, const QString &key, Reply reply) = 0;
};

/// A core on the settings' store with no listener, startup sync, live job or health.
[[nodiscard]] std::unique_ptr<JobChannel> localJobChannel(const CommandContext &ctx);
/// A protocol client to `url` (ws://H:P/ws/market) watching the `jobs` topic, with `token`.
[[nodiscard]] std::unique_ptr<JobChannel> remoteJobChannel(const QUrl &url, const QString &token);

} // namespace gapless::app
