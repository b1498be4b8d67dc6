#include "tests/support/gaplessrun.h"

#include "tests/support/testenv.h"

#include <QDir>
#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;

namespace gapless::test {

namespace {

QStringList splitLines(const QByteArray &bytes)
{
    QStringList lines = QString::fromUtf8(bytes).split(u'\n');
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    return lines;
}

} // namespace

QStringList RunResult::errLines() const
{
    return splitLines(err);
}

QStringList RunResult::outLines() const
{
    return splitLines(out);
}

void startGapless(QProcess &process, const QStringList &args, const QString &home,
                  const QProcessEnvironment &extraEnv)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith(u"GAPLESS_"_s) && key != u"GAPLESS_BIN"_s)
            env.remove(key);
    }
    QDir().mkpath(home);
    env.insert(u"HOME"_s, home);
    env.insert(u"XDG_CONFIG_HOME"_s, home + u"/.config"_s);
    env.insert(u"XDG_DATA_HOME"_s, home + u"/.local/share"_s);
    env.insert(extraEnv);
    process.setProcessEnvironment(env);
    process.start(gaplessBinary(), args);
    if (!process.waitForStarted(10000))
        qFatal("cannot start %s", qPrintable(gaplessBinary()));
}

RunResult runGapless(const QStringList &args, const QString &home, const QProcessEnvironment &extraEnv,
                     const QByteArray &stdinData)
{
    QProcess process;
    startGapless(process, args, home, extraEnv);
    if (!stdinData.isEmpty())
        process.write(stdinData);
    process.closeWriteChannel();
    if (!process.waitForFinished(120000))
        qFatal("gapless %s did not finish", qPrintable(args.join(u' ')));
    RunResult result;
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

RunResult runGaplessServing(const QStringList &args, const QString &home)
{
    QProcess process;
    startGapless(process, args, home);
    process.closeWriteChannel();
    (void)QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 120000);
    RunResult result;
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

} // namespace gapless::test
