#pragma once

#include "app/exitcode.h"
#include "core/domain/error.h"

#include <QJsonObject>
#include <QString>

namespace gapless::app {

/// Where a command's words go (CLI-3): results to stdout, warnings, row reports and progress
/// to stderr; with --json, one JSON document on stdout.
class Output
{
public:
    explicit Output(bool json) : m_json(json) {}

    [[nodiscard]] bool json() const { return m_json; }
    void line(const QString &text) const;        ///< one stdout line
    void warning(const QString &text) const;     ///< one stderr line
    void document(const QJsonObject &doc) const; ///< canonical JSON on stdout (C-3)
    /// `gapless: <message>` on stderr (CLI-2), and the error document with --json; returns `code`.
    int fail(const Error &error, ExitCode code) const;

private:
    bool m_json;
};

} // namespace gapless::app
