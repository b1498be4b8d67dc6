#pragma once

#include <QObject>

class QSocketNotifier;

namespace gapless::app {

/// Turns SIGINT and SIGTERM into a queued signal on the event loop (a self-pipe), so that a
/// long-running subcommand can shut down cleanly instead of exiting from the handler.
/// At most one instance per process.
class SignalWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    /// `number` is SIGINT or SIGTERM.
    void signalled(int number);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace gapless::app
