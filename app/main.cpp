#include "app/exitcode.h"
#include "core/version.h"

#include <QCoreApplication>
#include <QTextStream>

#ifdef GAPLESS_WITH_UI
#include "ui/mainwindow.h"
#include <QApplication>
#endif

#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(u"gapless"_s);
    QCoreApplication::setApplicationVersion(QString::fromLatin1(gapless::kVersion));
    const QStringList args = [&] {
        QStringList list;
        for (int i = 0; i < argc; ++i)
            list << QString::fromLocal8Bit(argv[i]);
        return list;
    }();
    if (args.contains(u"--version"_s)) {
        QTextStream(stdout) << "gapless " << gapless::kVersion << " (" << gapless::kGitSha << ", Qt "
                            << qVersion() << ")\n";
        return gapless::app::ExitOk;
    }
#ifdef GAPLESS_WITH_UI
    QApplication app(argc, argv);
    gapless::ui::MainWindow window;
    window.show();
    return app.exec();
#else
    QTextStream(stderr) << "gapless: this build has no user interface; expected a subcommand\n";
    return gapless::app::ExitUsage;
#endif
}
