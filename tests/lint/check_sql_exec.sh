#!/usr/bin/env bash
# SEC-3: SQL binds all values. QSqlQuery::exec(QString) runs text as SQL, so it may appear
# only where statements are fixed text: core/store/sqlexec.cpp (transaction control, DDL)
# and core/store/migrations.cpp. Every other statement is prepared and bound.
set -euo pipefail
root=${1:?source root}
allowed='^(core/store/sqlexec\.cpp|core/store/migrations\.cpp):'
hits=$(cd "$root" && grep -rnE '\.exec\([^)]' core app ui --include='*.cpp' --include='*.h' 2>/dev/null \
    | grep -vE "$allowed" | grep -vE '\.exec\(\)' || true)
if [ -n "$hits" ]; then
    echo "check_sql_exec: QSqlQuery::exec(QString) outside the allowed files; expected prepare() and bound values:"
    echo "$hits"
    exit 1
fi
echo "check_sql_exec: ok"
