# Shared helpers for the project's scripts: Odoo location, virtualenv, and a
# project-local PostgreSQL cluster (never the system one). Source, don't run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo/18.0}
VENV=${VBDT_VENV:-$ROOT/.venv}
PGDIR=${VBDT_PGDIR:-$ROOT/.pgdata}
PGPORT=${VBDT_PGPORT:-54329}
PGSOCK=$PGDIR/run
DB_USER=${VBDT_DB_USER:-vbdt}
RUN_DIR=$ROOT/.run
ADDONS=${VBDT_ADDONS:-vbdt_document,vbdt_workflow,vbdt_signature,vbdt_interconnect,vbdt_records}
export PGHOST=$PGSOCK PGPORT PGUSER=$DB_USER PGOPTIONS="-c client_min_messages=warning"

die() { echo "error: $*" >&2; exit 1; }

require_odoo() {
    [ -f "$ODOO_SRC/odoo/release.py" ] && [ -f "$ODOO_SRC/odoo-bin" ] || die \
"Odoo 18.0 Community was not found at ODOO_SRC=$ODOO_SRC.
Put an Odoo 18.0 source tree there (the folder holding odoo-bin) or set ODOO_SRC."
    grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" \
        || die "ODOO_SRC=$ODOO_SRC is not Odoo 18.0."
}

addons_path() {
    local core="$ODOO_SRC/odoo/addons" extra=""
    [ -d "$ODOO_SRC/addons" ] && extra=",$ODOO_SRC/addons"
    echo "$core$extra,$ROOT/addons"
}

ensure_venv() {
    local stamp="$VENV/.requirements.sha256" want
    want=$(sha256sum "$ROOT/requirements.txt" | cut -d' ' -f1)
    if [ ! -x "$VENV/bin/python" ]; then
        python3 -m venv "$VENV"
    fi
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "Installing Python dependencies into $VENV ..."
        "$VENV/bin/pip" install -q --upgrade pip
        "$VENV/bin/pip" install -q -r "$ROOT/requirements.txt"
        echo "$want" > "$stamp"
    fi
}

# Debian installs the server binaries outside PATH.
pg_bin() {
    local d
    for d in "$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent)")" /usr/lib/postgresql/*/bin; do
        [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
    done
    die "PostgreSQL server binaries not found: apt-get install postgresql"
}

# initdb refuses to run as root: run the cluster as Debian's postgres user then.
as_pg_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_pg() {
    local bin; bin=$(pg_bin)
    mkdir -p "$PGDIR"
    [ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
    if [ ! -f "$PGDIR/data/PG_VERSION" ]; then
        as_pg_owner "$bin/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PGDIR/initdb.log"
    fi
    as_pg_owner mkdir -p "$PGSOCK"
    if ! as_pg_owner "$bin/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1; then
        as_pg_owner "$bin/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w \
            -o "-p $PGPORT -k $PGSOCK -c listen_addresses='' -c fsync=off -c max_connections=200" start >/dev/null \
            || die "PostgreSQL did not start; see $PGDIR/server.log"
    fi
    # Odoo refuses the postgres superuser: a dedicated role owns the databases.
    psql -U postgres -d postgres -qtAc "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'" | grep -q 1 \
        || psql -U postgres -d postgres -qc "CREATE ROLE $DB_USER LOGIN CREATEDB" >/dev/null
}

# create_db NAME: an empty database with the extensions vbdt's search uses.
create_db() {
    psql -U postgres -d postgres -qc "DROP DATABASE IF EXISTS \"$1\"" >/dev/null
    psql -U postgres -d postgres -qc "CREATE DATABASE \"$1\" OWNER $DB_USER TEMPLATE template0 ENCODING 'UTF8'" >/dev/null
    psql -U postgres -d "$1" -qc "CREATE EXTENSION IF NOT EXISTS pg_trgm" >/dev/null
}

db_exists() {
    psql -U postgres -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1
}

odoo_bin() {
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" --addons-path="$(addons_path)" \
        --db_host="$PGSOCK" --db_port="$PGPORT" --db_user="$DB_USER" "$@"
}
