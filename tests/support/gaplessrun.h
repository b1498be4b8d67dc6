#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QStringList>

class QProcess;

namespace gapless::test {

/// The outcome of one run of the gapless executable.
struct RunResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;

    [[nodiscard]] QString outText() const { return QString::fromUtf8(out); }
    [[nodiscard]] QString errText() const { return QString::fromUtf8(err); }
    [[nodiscard]] QStringList errLines() const;
    [[nodiscard]] QStringList outLines() const;
};

/// Runs the built gapless with `args` (stdin closed, no terminal), with a private HOME and
/// XDG dirs under `home` so no user configuration leaks in, plus `extraEnv`.
[[nodiscard]] RunResult runGapless(const QStringList &args, const QString &home,
                                   const QProcessEnvironment &extraEnv = {}, const QByteArray &stdinData = {});

/// runGapless() for a run that talks to a server in this process (a replay exchange, a test
/// core): the event loop turns while it runs.
[[nodiscard]] RunResult runGaplessServing(const QStringList &args, const QString &home);

/// Starts the built gapless in `process` with the same private environment as runGapless(),
/// for a run the test talks to while it lives (`serve`).
void startGapless(QProcess &process, const QStringList &args, const QString &home,
                  const QProcessEnvironment &extraEnv = {});

} // namespace gapless::test
