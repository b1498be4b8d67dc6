#include "app/output.h"

#include "core/domain/canonicaljson.h"

#include <cstdio>

using namespace Qt::StringLiterals;

namespace gapless::app {

namespace {

void writeLine(FILE *stream, const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}

} // namespace

void Output::line(const QString &text) const
{
    writeLine(stdout, text.toUtf8());
}

void Output::warning(const QString &text) const
{
    writeLine(stderr, text.toUtf8());
}

void Output::document(const QJsonObject &doc) const
{
    writeLine(stdout, canonicalJson(doc));
}

int Output::fail(const Error &error, ExitCode code) const
{
    warning(u"gapless: "_s + error.message);
    if (m_json)
        document(QJsonObject{{u"error"_s, QJsonObject{{u"code"_s, error.codeName()}, {u"message"_s, error.message}}}});
    return code;
}

} // namespace gapless::app
