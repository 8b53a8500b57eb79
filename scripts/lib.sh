# Shared helpers for the project's scripts: Odoo location, virtualenv, and a
# project-local PostgreSQL cluster (never the system one). Source, don't run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Odoo 18.0 Community: an existing checkout at $ODOO_SRC (default
# /opt/odoo/18.0 when that holds one), else fetched into $ODOO_FETCH_DIR by
# require_odoo (shallow clone of $VBDT_ODOO_GIT at $VBDT_ODOO_REF).
VBDT_ODOO_GIT=${VBDT_ODOO_GIT:-https://github.com/odoo/odoo.git}
VBDT_ODOO_REF=${VBDT_ODOO_REF:-18.0}
ODOO_FETCH_DIR=${VBDT_ODOO_DIR:-$ROOT/.odoo/18.0}
if [ -z "${ODOO_SRC:-}" ]; then
    ODOO_SRC=/opt/odoo/18.0
    [ -f "$ODOO_SRC/odoo-bin" ] || ODOO_SRC=$ODOO_FETCH_DIR
fi
export ODOO_SRC
VENV=${VBDT_VENV:-$ROOT/.venv}
# The cluster runs as the postgres user when the scripts run as root
# (initdb refuses root): it must be able to enter the cluster's folder. When
# it cannot enter $ROOT (e.g. a clone in root's own home, mode 700), the
# cluster lives under /var/lib/vbdt/<hash of ROOT> instead.
default_pgdir() {
    if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$ROOT" 2>/dev/null; then
        echo "/var/lib/vbdt/$(printf '%s' "$ROOT" | sha256sum | cut -c1-16)/pgdata"
    else
        echo "$ROOT/.pgdata"
    fi
}
PGDIR=${VBDT_PGDIR:-$(default_pgdir)}
PGPORT=${VBDT_PGPORT:-54329}
PGSOCK=$PGDIR/run
DB_USER=${VBDT_DB_USER:-vbdt}
RUN_DIR=$ROOT/.run
ADDONS=${VBDT_ADDONS:-vbdt_document,vbdt_workflow,vbdt_signature,vbdt_interconnect,vbdt_records,vbdt_capture}
export PGHOST=$PGSOCK PGPORT PGUSER=$DB_USER PGOPTIONS="-c client_min_messages=warning"

die() { echo "error: $*" >&2; exit 1; }

# is_odoo18 DIR: DIR is an Odoo 18.0 source tree (the folder holding odoo-bin).
is_odoo18() {
    [ -f "$1/odoo-bin" ] && [ -f "$1/odoo/release.py" ] \
        && grep -q "version_info = (18, 0" "$1/odoo/release.py"
}

require_odoo() {
    is_odoo18 "$ODOO_SRC" && return 0
    if [ -f "$ODOO_SRC/odoo-bin" ] && [ "$ODOO_SRC" != "$ODOO_FETCH_DIR" ]; then
        die "ODOO_SRC=$ODOO_SRC holds an Odoo that is not 18.0: point ODOO_SRC at an
Odoo 18.0 checkout, or unset it to let the scripts fetch Odoo 18.0 into $ODOO_FETCH_DIR."
    fi
    if is_odoo18 "$ODOO_FETCH_DIR"; then
        echo "No Odoo 18.0 at ODOO_SRC=$ODOO_SRC: using the one fetched into $ODOO_FETCH_DIR."
    else
        fetch_odoo
    fi
    ODOO_SRC=$ODOO_FETCH_DIR
    export ODOO_SRC
}

# fetch_odoo: shallow clone of $VBDT_ODOO_GIT at $VBDT_ODOO_REF (a branch, a
# tag or a commit) into $ODOO_FETCH_DIR, through a temporary folder renamed
# at the end, so that an interrupted fetch never leaves a half tree behind.
fetch_odoo() {
    local dest=$ODOO_FETCH_DIR tmp
    command -v git >/dev/null || die "git is needed to fetch Odoo 18.0: apt-get install git"
    echo "Odoo 18.0 was not found at ODOO_SRC=${ODOO_SRC}."
    echo "Fetching Odoo 18.0 Community ($VBDT_ODOO_GIT, $VBDT_ODOO_REF; shallow clone) into $dest ..."
    mkdir -p "$(dirname "$dest")"
    tmp=$(mktemp -d "$dest.partial.XXXXXX")
    if ! { git -C "$tmp" init -q \
            && git -C "$tmp" fetch -q --depth 1 "$VBDT_ODOO_GIT" "$VBDT_ODOO_REF" \
            && git -C "$tmp" checkout -q --detach FETCH_HEAD; }; then
        rm -rf "$tmp"
        die "Fetching Odoo failed. Check the network, or set VBDT_ODOO_GIT to a mirror, or
ODOO_SRC to an existing Odoo 18.0 checkout."
    fi
    is_odoo18 "$tmp" || { rm -rf "$tmp"; die "$VBDT_ODOO_GIT at $VBDT_ODOO_REF is not Odoo 18.0."; }
    rm -rf "$dest"
    mv "$tmp" "$dest"
    echo "Odoo 18.0 is in $dest (commit $(git -C "$dest" rev-parse --short HEAD))."
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
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$PGDIR"
        [ "$PGDIR" = "$ROOT/.pgdata" ] || [ -n "${VBDT_PGDIR:-}" ] || echo \
"The postgres user cannot enter $ROOT: the project's PostgreSQL cluster is in $PGDIR."
    fi
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

# Odoo re-executes itself by the bare name "python" (restart after installing
# a module, SIGHUP): with the virtualenv first on PATH that name is the
# project's interpreter, not the system's.
odoo_bin() {
    PATH="$VENV/bin:$PATH" "$VENV/bin/python" "$ODOO_SRC/odoo-bin" --addons-path="$(addons_path)" \
        --db_host="$PGSOCK" --db_port="$PGPORT" --db_user="$DB_USER" "$@"
}

# Demo and tests only: the PUBLIC demo key for secrets at rest (the server logs
# a warning while it is in use) and the SoftHSM2 module as the one allowed
# PKCS#11 library. Production sets its own vbdt_secret_key and
# vbdt_pkcs11_modules in the Odoo configuration file (vbdt_signature CONFIGURE).
use_demo_secrets() {
    if [ -z "${VBDT_SECRET_KEY:-}" ]; then
        export VBDT_SECRET_KEY=vbdt-PUBLIC-demo-key-never-use-in-production
        echo "warning: using the PUBLIC demo key for secrets at rest (VBDT_SECRET_KEY); never in production" >&2
    fi
    export VBDT_PKCS11_MODULES=${VBDT_PKCS11_MODULES:-softhsm:/usr/lib/softhsm/libsofthsm2.so}
}

# Multi-process server (docs/DEPLOYMENT.md): HTTP workers, one cron worker and
# the gevent (websocket) port, with limits that make a slow or huge request
# kill only its own worker. Defaults fit a 2-core machine; VBDT_* override.
server_args() {
    local cores; cores=$(nproc 2>/dev/null || echo 2)
    local mib=$((1024 * 1024))
    echo --workers="${VBDT_WORKERS:-$((cores * 2 + 1))}" \
        --max-cron-threads="${VBDT_CRON_WORKERS:-1}" \
        --gevent-port="${VBDT_GEVENT_PORT:-8072}" \
        --limit-time-cpu="${VBDT_LIMIT_TIME_CPU:-60}" \
        --limit-time-real="${VBDT_LIMIT_TIME_REAL:-120}" \
        --limit-time-real-cron="${VBDT_LIMIT_TIME_REAL_CRON:-600}" \
        --limit-memory-soft="$((${VBDT_LIMIT_MEMORY_SOFT_MB:-1024} * mib))" \
        --limit-memory-hard="$((${VBDT_LIMIT_MEMORY_HARD_MB:-1536} * mib))"
}

# ensure_system_packages: what the product needs from Debian besides Python:
# wkhtmltopdf (register books and handling slips as PDF) and Liberation fonts
# (Vietnamese glyphs, metric-compatible with Times New Roman, for the
# signature stamps), poppler-utils and Tesseract with its Vietnamese data
# (vbdt_capture: the text of PDF files, OCR of scans), ocrmypdf (PDF/A of
# drafts before they are signed, vbdt_signature). Installed with apt when
# root, else the command is named.
read -r -a SYSTEM_PACKAGES <<<"${VBDT_SYSTEM_PACKAGES:-wkhtmltopdf fonts-liberation2 poppler-utils tesseract-ocr tesseract-ocr-vie ocrmypdf}"
ensure_system_packages() {
    local pkg missing=()
    if ! command -v dpkg >/dev/null; then
        command -v wkhtmltopdf >/dev/null || echo "warning: wkhtmltopdf is not installed:" \
            "printing register books and handling slips as PDF will fail." >&2
        return 0
    fi
    for pkg in "${SYSTEM_PACKAGES[@]}"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "Installing system packages: ${missing[*]} (apt-get) ..."
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } \
            || die "apt-get could not install ${missing[*]}."
    else
        echo "warning: missing system packages: ${missing[*]}. Install them with:
    sudo apt-get install -y --no-install-recommends ${missing[*]}
(PDF register books and handling slips need wkhtmltopdf; signature stamps need the fonts;
the text of files and OCR of scans need poppler-utils and tesseract-ocr-vie; drafts
are made PDF/A before they are signed with ocrmypdf)." >&2
    fi
}
