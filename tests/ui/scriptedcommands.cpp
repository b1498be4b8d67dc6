#include "tests/ui/scriptedcommands.h"

#include "core/protocol/protocolversion.h"
#include "core/protocol/serverframes.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace gapless::test {

QJsonObject waitForCommand(const ScriptedServer &server, QStringView name, int nth)
{
    QJsonObject found;
    const bool came = QTest::qWaitFor(
        [&] {
            int seen = 0;
            for (const QJsonObject &frame : server.allFrames(u"command")) {
                if (frame.value("name"_L1).toString() == name && seen++ == nth) {
                    found = frame;
                    return true;
                }
            }
            return false;
        },
        5000);
    return came ? found : QJsonObject();
}

bool answerCommand(ScriptedServer &server, QStringView name, const QJsonValue &data, int nth)
{
    const QJsonObject command = waitForCommand(server, name, nth);
    if (command.isEmpty())
        return false;
    server.send(protocol::serverframe::result(command.value("request_id"_L1).toString(), data));
    return true;
}

QJsonObject topicFrame(QStringView type, const QJsonObject &fields)
{
    QJsonObject frame = fields;
    frame.insert(u"type"_s, type.toString());
    frame.insert(u"v"_s, protocol::kProtocolVersion);
    return frame;
}

} // namespace gapless::test

namespace gapless::test {

protocol::ClientOptions clientOptions(const QUrl &url)
{
    protocol::ClientOptions options;
    options.url = url;
    return options;
}

} // namespace gapless::test
