#include "tests/jobs/pgcluster.h"

#include "tests/support/testenv.h"

#include <QDir>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace gapless::test {

namespace {

// pgserver.sh's helpers: the newest server binaries, run as `postgres` when we are root.
const QString kPrelude = uR"sh(set -eu
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
)sh"_s;

} // namespace

PgCluster::~PgCluster()
{
    if (m_started)
        (void)shell(u"bash '%1' stop '%2' >/dev/null"_s.arg(dataFile(u"../pg/pgserver.sh"_s), m_state.path()));
}

bool PgCluster::shell(const QString &script)
{
    QProcess p;
    p.start(u"bash"_s, {u"-c"_s, kPrelude + script});
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        m_error = u"pg cluster: `%1` failed: %2"_s.arg(script.simplified(),
                                                        QString::fromLocal8Bit(p.readAllStandardError()).simplified());
        return false;
    }
    return true;
}

bool PgCluster::start()
{
    if (!shell(u"bash '%1' start '%2' >/dev/null"_s.arg(dataFile(u"../pg/pgserver.sh"_s), m_state.path())))
        return false;
    m_started = true;
    const QString text = QString::fromUtf8(readFile(QDir(m_state.path()).filePath(u"url"_s))).trimmed();
    m_dataDir = QString::fromUtf8(readFile(QDir(m_state.path()).filePath(u"datadir"_s))).trimmed();
    auto url = store::StoreUrl::parse(text);
    if (!url) {
        m_error = u"pg cluster: url '%1': %2"_s.arg(text, url.error().message);
        return false;
    }
    m_url = *url;
    m_port = int(text.section(u':', -1).section(u'/', 0, 0).toInt());
    return true;
}

bool PgCluster::stop()
{
    return shell(u"as_pg \"$pgbin/pg_ctl\" -D '%1/cluster' -m immediate -w stop >/dev/null"_s.arg(m_dataDir));
}

bool PgCluster::restart()
{
    return shell(u"as_pg \"$pgbin/pg_ctl\" -D '%1/cluster' -l '%1/cluster/log' -w -t 30 -o \"-c "
                 u"listen_addresses=127.0.0.1 -p %2 -k %1 -c fsync=off\" start >/dev/null"_s.arg(m_dataDir)
                     .arg(m_port));
}

} // namespace gapless::test
