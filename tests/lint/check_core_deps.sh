#!/usr/bin/env bash
# core/ links only Qt Core, Sql, Network and WebSockets (DESIGN.md): no source in core/ may
# include a Gui, Widgets or Charts header, and ui/ never opens the database.
set -euo pipefail
root=${1:?source root}
cd "$root"
bad=$(grep -rnE '#include <(QtGui|QtWidgets|QtCharts|QColor|QImage|QPixmap|QPainter|QWidget|QApplication|QGuiApplication)' core || true)
sql=$(grep -rnE '#include <(QtSql|QSql[A-Za-z]*)>|#include "core/store/' ui 2>/dev/null || true)
if [ -n "$bad$sql" ]; then
    [ -n "$bad" ] && echo "check_core_deps: GUI header in core/; expected Qt Core/Sql/Network/WebSockets only:" && echo "$bad"
    [ -n "$sql" ] && echo "check_core_deps: SQL in ui/; expected the ui to reach the core only through protocol::Client:" && echo "$sql"
    exit 1
fi
echo "check_core_deps: ok"
