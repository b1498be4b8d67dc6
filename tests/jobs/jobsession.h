#pragma once

#include "tests/support/frameclient.h"
#include "tests/support/testcore.h"

#include <QJsonObject>
#include <QVariantList>

namespace gapless::test {

/// A protocol client of a TestCore watching the `jobs` topic: sends commands (with an
/// idempotency key when given), follows a job to its terminal event and reads the store on
/// the core's writer connection.
class JobSession
{
public:
    explicit JobSession(TestCore &core);

    [[nodiscard]] bool open();
    /// The `result` frame of one command.
    QJsonObject run(const QString &name, const QJsonObject &args, const QString &key = {});
    /// The job's terminal `job` event (empty when none came).
    QJsonObject finish(const QString &jobId);
    /// Runs the command, which must be accepted, and follows its job to the end.
    QJsonObject runJob(const QString &name, const QJsonObject &args, const QString &key);
    /// The first column of every row of `sql` on the writer's connection ("error" on failure).
    QVariantList query(const QString &sql, const QVariantList &binds = {});

    static QString code(const QJsonObject &result);
    static QString message(const QJsonObject &result);
    static QJsonObject data(const QJsonObject &result);

private:
    TestCore &m_core;
    FrameClient m_client;
    int m_request = 0;
};

} // namespace gapless::test
