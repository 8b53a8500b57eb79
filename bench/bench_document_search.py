#!/usr/bin/env python3
"""Benchmark: the ORM searches the web client runs on vbdt.document, over N
documents, without and with the indexes of vbdt_document.

What it does (see bench/README.md):

1. creates a fresh database ``--db`` (name must start with ``vbdt_bench``) on
   the project-local cluster (scripts/lib.sh) and installs ``vbdt_document``
   without demo data (odoo-bin --stop-after-init);
2. creates agencies (res.company, which also creates their registers and
   directory entries), units, users and external sender agencies through the
   ORM, then loads N documents straight into PostgreSQL (one INSERT ... SELECT
   over a staging table of random numbers), with participant, secret-reader
   and file rows, and VACUUM ANALYZE; ``search_text`` is folded with the
   addon's own ``notation.fold_text`` (checked on a sample afterwards);
3. drops every index of ``vbdt_document`` except its primary key (the ones of
   ``init()`` and Odoo's ``index=True`` / ``index="trigram"`` ones) and times
   the calls the web client makes (domains read from the actions and the
   search view in the database; list pages of 80 with a count capped at
   10,000; kanban columns of 40), as an agency clerk, as the administrator
   with every agency selected, and as a specialist ("before indexes");
4. recreates exactly the dropped indexes, ANALYZEs, and times the same calls
   again ("after indexes");
5. prints one table (median and p95 of ``--repeat`` runs, PASS when the
   median with indexes is within ``--budget`` ms) and, for every call whose
   p95 is over budget, the EXPLAIN (ANALYZE, BUFFERS) of its slowest SQL
   statement; the report is also written to bench/out/ (.md and .json).

``--reuse`` times again on a database kept (``--keep``) by an earlier run,
e.g. after a change to the model (``odoo-bin -u vbdt_document -d vbdt_bench``
first), without reloading the documents; ``--extra-addons DIR`` adds an
addons folder (a throw-away addon holding a proposed change, installed into
the kept database).

The load builds the table without its indexes and the "before" timings are
taken first: building the GIN trigram indexes twice would double the run time
for the same result.

Usage: .venv/bin/python bench/bench_document_search.py [--documents N]
       [--db vbdt_bench] [--repeat K] [--keep] [--reuse] [--skip-before]
       [--unaccent] [--budget MS] [--extra-addons DIR]
"""

import argparse
import contextlib
import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ODOO_SRC = os.environ.get("ODOO_SRC", "/opt/odoo/18.0")
PGSOCK = os.path.join(
    os.environ.get("VBDT_PGDIR", os.path.join(ROOT, ".pgdata")), "run"
)
PGPORT = int(os.environ.get("VBDT_PGPORT", "54329"))
DB_USER = os.environ.get("VBDT_DB_USER", "vbdt")
OUT_DIR = os.path.join(ROOT, "bench", "out")

sys.path.insert(0, ODOO_SRC)
# The addon's own folding (plain Python, no Odoo import); its folder leaves the
# path again at once so that its other folders (models, tests...) shadow nothing.
sys.path.insert(0, os.path.join(ROOT, "addons", "vbdt_document"))
from notation import fold_text  # noqa: E402

del sys.path[0]

import psycopg2  # noqa: E402

# --------------------------------------------------------------------------- data
# Agencies of the instance since 1 July 2025 (two tiers: province and
# commune/ward; the codes are the bench's own): (name, short name in
# notations, legacy code, tier, place, weight in the document volume).
AGENCIES = [
    ("UBND tỉnh Phú Thọ", "UBND", "000.00.00.H44", "province", "Phú Thọ", 14),
    (
        "Văn phòng UBND tỉnh Phú Thọ",
        "VPUBND",
        "000.00.01.H44",
        "province",
        "Phú Thọ",
        5,
    ),
    ("Sở Nội vụ", "SNV", "000.00.02.H44", "province", "Phú Thọ", 4),
    ("Sở Tài chính", "STC", "000.00.03.H44", "province", "Phú Thọ", 4),
    ("Sở Kế hoạch và Đầu tư", "SKHĐT", "000.00.04.H44", "province", "Phú Thọ", 4),
    ("Sở Giáo dục và Đào tạo", "SGDĐT", "000.00.05.H44", "province", "Phú Thọ", 4),
    ("Sở Y tế", "SYT", "000.00.06.H44", "province", "Phú Thọ", 4),
    ("Sở Xây dựng", "SXD", "000.00.07.H44", "province", "Phú Thọ", 3),
    ("Sở Tài nguyên và Môi trường", "STNMT", "000.00.08.H44", "province", "Phú Thọ", 4),
    (
        "Sở Nông nghiệp và Phát triển nông thôn",
        "SNN",
        "000.00.09.H44",
        "province",
        "Phú Thọ",
        4,
    ),
    ("Sở Công Thương", "SCT", "000.00.10.H44", "province", "Phú Thọ", 3),
    ("Sở Giao thông vận tải", "SGTVT", "000.00.11.H44", "province", "Phú Thọ", 3),
    ("Sở Tư pháp", "STP", "000.00.12.H44", "province", "Phú Thọ", 3),
    (
        "Sở Văn hóa, Thể thao và Du lịch",
        "SVHTTDL",
        "000.00.13.H44",
        "province",
        "Phú Thọ",
        3,
    ),
    (
        "Sở Lao động - Thương binh và Xã hội",
        "SLĐTBXH",
        "000.00.14.H44",
        "province",
        "Phú Thọ",
        3,
    ),
    (
        "Sở Thông tin và Truyền thông",
        "STTTT",
        "000.00.15.H44",
        "province",
        "Phú Thọ",
        3,
    ),
    ("UBND phường Việt Trì", "UBND", "000.00.31.H44", "commune", "Việt Trì", 5),
    ("UBND phường Phú Thọ", "UBND", "000.00.32.H44", "commune", "Phú Thọ", 3),
    ("UBND xã Lâm Thao", "UBND", "000.00.33.H44", "commune", "Lâm Thao", 3),
    ("UBND xã Phù Ninh", "UBND", "000.00.34.H44", "commune", "Phù Ninh", 3),
    ("UBND xã Thanh Sơn", "UBND", "000.00.35.H44", "commune", "Thanh Sơn", 3),
    ("UBND xã Tân Sơn", "UBND", "000.00.36.H44", "commune", "Tân Sơn", 3),
    ("UBND xã Cẩm Khê", "UBND", "000.00.37.H44", "commune", "Cẩm Khê", 3),
    ("UBND xã Đoan Hùng", "UBND", "000.00.38.H44", "commune", "Đoan Hùng", 3),
    ("UBND xã Hạ Hòa", "UBND", "000.00.39.H44", "commune", "Hạ Hòa", 3),
]
UNITS = [
    ("VP", "Văn phòng"),
    ("TH", "Phòng Tổng hợp"),
    ("KHTC", "Phòng Kế hoạch - Tài chính"),
    ("NV", "Phòng Nghiệp vụ"),
    ("TTr", "Thanh tra"),
]
# Senders outside the province: (name, short name, code, weight).
MINISTRIES = [
    ("Văn phòng Chính phủ", "VPCP", "000.00.00.G22", 12),
    ("Bộ Nội vụ", "BNV", "000.00.00.G09", 4),
    ("Bộ Tài chính", "BTC", "000.00.00.G12", 5),
    ("Bộ Kế hoạch và Đầu tư", "BKHĐT", "000.00.00.G06", 3),
    ("Bộ Giáo dục và Đào tạo", "BGDĐT", "000.00.00.G05", 3),
    ("Bộ Y tế", "BYT", "000.00.00.G20", 3),
    ("Bộ Xây dựng", "BXD", "000.00.00.G19", 2),
    ("Bộ Tài nguyên và Môi trường", "BTNMT", "000.00.00.G13", 2),
    ("Bộ Nông nghiệp và Phát triển nông thôn", "BNNPTNT", "000.00.00.G10", 2),
    ("Bộ Công Thương", "BCT", "000.00.00.G04", 2),
    ("Bộ Giao thông vận tải", "BGTVT", "000.00.00.G07", 2),
    ("Bộ Tư pháp", "BTP", "000.00.00.G15", 2),
    ("Bộ Văn hóa, Thể thao và Du lịch", "BVHTTDL", "000.00.00.G16", 2),
    ("Bộ Lao động - Thương binh và Xã hội", "BLĐTBXH", "000.00.00.G08", 2),
    ("Bộ Thông tin và Truyền thông", "BTTTT", "000.00.00.G14", 2),
    ("Bộ Công an", "BCA", "000.00.00.G03", 1),
    ("Bộ Quốc phòng", "BQP", "000.00.00.G11", 1),
    ("Thanh tra Chính phủ", "TTCP", "000.00.00.G21", 1),
    ("Ngân hàng Nhà nước Việt Nam", "NHNN", "000.00.00.G18", 1),
    ("Bảo hiểm xã hội Việt Nam", "BHXH", "000.00.00.G24", 1),
    ("Bộ Khoa học và Công nghệ", "BKHCN", "000.00.00.G02", 1),
    ("Ủy ban Dân tộc", "UBDT", "000.00.00.G23", 1),
    ("UBND tỉnh Vĩnh Phúc", "UBND", "000.00.00.H88", 1),
    ("UBND tỉnh Tuyên Quang", "UBND", "000.00.00.H70", 1),
    ("UBND tỉnh Yên Bái", "UBND", "000.00.00.H90", 1),
    ("UBND tỉnh Hòa Bình", "UBND", "000.00.00.H28", 1),
    ("UBND tỉnh Sơn La", "UBND", "000.00.00.H56", 1),
    ("UBND thành phố Hà Nội", "UBND", "000.00.00.H26", 1),
]
COMMUNES = [
    "Tiên Kiên",
    "Xuân Lũng",
    "Hy Cương",
    "Chu Hóa",
    "Thanh Đình",
    "Kim Đức",
    "Phượng Lâu",
    "Hùng Lô",
    "Sơn Vi",
    "Cao Xá",
    "Bản Nguyên",
    "Vĩnh Lại",
    "Tứ Xã",
    "Phú Lộc",
    "Trạm Thản",
    "Tiên Du",
    "Phú Mỹ",
    "Chân Mộng",
    "Tây Cốc",
    "Ca Đình",
    "Minh Lương",
    "Bằng Luân",
    "Vân Du",
    "Hùng Xuyên",
    "Yên Kiện",
    "Văn Lang",
    "Gia Điền",
    "Ấm Hạ",
    "Hiền Lương",
    "Xuân Áng",
    "Yên Lãng",
    "Thục Luyện",
    "Tất Thắng",
    "Võ Miếu",
    "Địch Quả",
    "Thạch Khoán",
    "Kim Thượng",
    "Xuân Đài",
    "Thu Cúc",
    "Mỹ Thuận",
    "Đồng Sơn",
    "Tân Phú",
    "Sơn Tình",
    "Tạ Xá",
    "Văn Bán",
    "Phương Xá",
    "Tiên Lương",
    "Hương Lung",
    "Sơn Nga",
    "Thanh Minh",
    "Hà Lộc",
    "Văn Lung",
    "Phú Hộ",
    "Hà Thạch",
    "Thanh Vinh",
    "Hùng Long",
    "Tây Cốc",
    "Minh Tiến",
    "Vụ Quang",
    "Ngọc Quan",
]
TYPE_WEIGHTS = {  # per mille, by Decree 30 name (the seed data of vbdt_document)
    "Công văn": 430,
    "Quyết định": 130,
    "Thông báo": 80,
    "Báo cáo": 80,
    "Kế hoạch": 60,
    "Giấy mời": 60,
    "Tờ trình": 50,
    "Hướng dẫn": 20,
    "Chỉ thị": 10,
    "Nghị quyết": 10,
    "Công điện": 10,
    "Chương trình": 10,
    "Biên bản": 10,
    "Đề án": 5,
    "Phương án": 5,
    "Quy chế": 5,
    "Quy định": 5,
    "Giấy giới thiệu": 5,
    "Hợp đồng": 5,
}
PREFIXES = [
    "Về việc",
    "V/v",
    "Về việc phê duyệt",
    "Về việc ban hành",
    "Về việc triển khai",
    "Về việc tăng cường",
    "Về việc đề nghị",
    "Về việc báo cáo",
    "Về việc tổ chức",
    "Về việc kiểm tra",
    "Về việc hướng dẫn",
    "Về việc góp ý dự thảo",
    "Về việc điều chỉnh",
    "Về việc giao",
    "Về việc thành lập",
    "Về việc chấn chỉnh",
    "Về việc sửa đổi, bổ sung",
    "Về việc tổng kết",
    "Về việc rà soát",
    "Về việc đôn đốc thực hiện",
    "Triển khai thực hiện Quyết định số 28/2018/QĐ-TTg về",
    "Về việc thực hiện Quyết định của UBND tỉnh về",
    "Về việc ban hành quyết định",
    "Thông báo kết luận của Chủ tịch UBND tỉnh về",
    "Về việc cung cấp thông tin",
    "Về việc xin ý kiến",
    "Về việc phân bổ",
    "Về việc đẩy mạnh",
    "Về việc kiện toàn",
    "Về việc chuẩn bị",
]
OBJECTS = [
    "kế hoạch",
    "dự toán ngân sách",
    "danh sách",
    "quy chế",
    "đề án",
    "chương trình",
    "kết quả",
    "báo cáo",
    "phương án",
    "nhiệm vụ",
    "hồ sơ",
    "chỉ tiêu",
    "kinh phí",
    "công tác",
    "hội nghị",
    "đoàn kiểm tra",
    "tiêu chí",
    "định mức",
    "số liệu",
    "tình hình",
    "quy trình",
    "biên chế",
    "vốn đầu tư",
    "giải pháp",
    "cơ chế",
]
TOPICS = [
    "cải cách hành chính",
    "chuyển đổi số",
    "phòng, chống thiên tai",
    "xây dựng nông thôn mới",
    "tuyển dụng công chức",
    "quản lý đất đai",
    "phòng, chống dịch bệnh",
    "an toàn giao thông",
    "giải phóng mặt bằng",
    "đầu tư công",
    "bảo vệ môi trường",
    "phát triển kinh tế - xã hội",
    "thu ngân sách nhà nước",
    "giáo dục và đào tạo",
    "y tế cơ sở",
    "bảo hiểm xã hội",
    "giảm nghèo bền vững",
    "phòng cháy, chữa cháy",
    "quốc phòng, an ninh",
    "thi đua, khen thưởng",
    "cải thiện môi trường đầu tư",
    "quản lý chất lượng công trình",
    "xử lý vi phạm hành chính",
    "tiếp công dân",
    "giải quyết khiếu nại, tố cáo",
    "phòng, chống tham nhũng",
    "ứng dụng công nghệ thông tin",
    "dịch vụ công trực tuyến",
    "chính quyền điện tử",
    "sắp xếp đơn vị hành chính",
    "bồi dưỡng cán bộ, công chức",
    "văn hóa, thể thao và du lịch",
    "chăm sóc người có công",
    "quản lý thị trường",
    "phát triển doanh nghiệp",
    "khuyến nông",
    "quy hoạch tỉnh",
    "an toàn thực phẩm",
    "Giỗ Tổ Hùng Vương - Lễ hội Đền Hùng",
    "phòng, chống ma túy",
]
QUALIFIERS = [
    "năm 2024",
    "năm 2025",
    "năm 2026",
    "quý I năm 2025",
    "quý II năm 2025",
    "quý III năm 2026",
    "6 tháng đầu năm 2025",
    "giai đoạn 2021-2025",
    "giai đoạn 2026-2030",
    "trên địa bàn tỉnh",
    "trên địa bàn tỉnh Phú Thọ",
    "tại thành phố Việt Trì",
    "tại huyện Thanh Sơn",
    "tại huyện Tân Sơn",
    "tại huyện Đoan Hùng",
    "tại huyện Hạ Hòa",
    "tại thị xã Phú Thọ",
    "của các sở, ban, ngành",
    "đối với các xã đặc biệt khó khăn",
    "trong tình hình mới",
    "theo Nghị định số 30/2020/NĐ-CP",
    "theo chỉ đạo của Thủ tướng Chính phủ",
    "đợt 1",
    "đợt 2",
    "năm học 2025-2026",
    "tháng 10",
    "tháng 11",
    "trên địa bàn huyện Lâm Thao",
    "ở cơ sở",
    "cấp xã",
]
CV_UNITS = ["VP", "TH", "KHTC", "TCCB", "PC", "NSNN", "QLDA", "KGVX"]
GIVEN = [
    "Nguyễn Văn",
    "Trần Thị",
    "Lê Văn",
    "Phạm Thị",
    "Hoàng Văn",
    "Vũ Thị",
    "Đỗ Văn",
    "Bùi Thị",
    "Đặng Văn",
    "Ngô Thị",
]
NAMES = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Ngọc",
    "Phong",
    "Quang",
    "Sơn",
    "Thảo",
    "Thủy",
    "Trung",
    "Tuấn",
    "Việt",
    "Yến",
]
DAYS = 3 * 365  # register dates spread over the last three years


def nfc(text):
    return unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------- helpers
def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def pg_connect(dbname, user="postgres"):
    conn = psycopg2.connect(host=PGSOCK, port=PGPORT, user=user, dbname=dbname)
    return conn


def lib_sh(*commands):
    """Run commands after sourcing scripts/lib.sh (its ensure_pg, create_db,
    odoo_bin)."""
    script = "source scripts/lib.sh; " + "; ".join(commands)
    return subprocess.run(
        ["bash", "-c", script], cwd=ROOT, capture_output=True, text=True
    )


def drop_database(db):
    conn = pg_connect("postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    conn.close()


def percentile(values, pct):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def fmt_ms(value):
    if value is None:
        return "-"
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


# --------------------------------------------------------------------------- step 1
def create_and_install(db, unaccent=False):
    log(f"creating database {db} and installing vbdt_document (no demo data)")
    t0 = time.perf_counter()
    result = lib_sh("ensure_pg", f"create_db {db}")
    if result.returncode:
        sys.exit(f"create_db failed:\n{result.stdout}\n{result.stderr}")
    if unaccent:
        # What Odoo's --unaccent (or a DBA) does: Odoo 18 then wraps every
        # ilike in unaccent(), a STABLE function no plain-column index serves.
        conn = pg_connect(db)
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        conn.close()
    os.makedirs(OUT_DIR, exist_ok=True)
    install_log = os.path.join(OUT_DIR, f"{db}-install.log")
    result = lib_sh(
        f"odoo_bin -d {db} -i vbdt_document --without-demo=all --stop-after-init "
        f"--max-cron-threads=0 --http-port={19000 + os.getpid() % 1000} "
        "--log-level=warn "
        f"> {install_log} 2>&1"
    )
    if result.returncode:
        sys.exit(f"installing vbdt_document failed: see {install_log}")
    log(f"installed in {time.perf_counter() - t0:.0f} s")


# --------------------------------------------------------------------------- odoo
def odoo_start(db, extra_addons=()):
    import odoo
    from odoo.tools import config

    addons = [
        os.path.join(ODOO_SRC, "odoo", "addons"),
        os.path.join(ODOO_SRC, "addons"),
        os.path.join(ROOT, "addons"),
        *extra_addons,
    ]
    config.parse_config(
        [
            f"--addons-path={','.join(p for p in addons if os.path.isdir(p))}",
            "-d",
            db,
            f"--db_host={PGSOCK}",
            f"--db_port={PGPORT}",
            f"--db_user={DB_USER}",
            "--log-level=warn",
            "--max-cron-threads=0",
        ]
    )
    return odoo.modules.registry.Registry(db)


def setup_orm(registry):
    """Agencies, units, users and sender directory through the ORM."""
    from odoo import SUPERUSER_ID, Command, api

    t0 = time.perf_counter()
    info = {"companies": [], "senders": []}
    ctx = {
        "no_reset_password": True,
        "mail_create_nosubscribe": True,
        "mail_create_nolog": True,
        "tracking_disable": True,
    }
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, ctx)
        Company = env["res.company"]
        first = env.ref("base.main_company")
        companies = Company.browse()
        for index, (name, short, code, tier, place, _weight) in enumerate(AGENCIES):
            vals = {
                "name": nfc(name),
                "vbdt_short_name": nfc(short),
                "vbdt_agency_code": code,
                "vbdt_tier": tier,
                "vbdt_place": nfc(place),
            }
            if index == 0:
                first.write(vals)
                companies |= first
            else:
                companies |= Company.create(vals)
        for company in companies:
            company.vbdt_agency_id.write({"name": company.name})
        all_ids = companies.ids
        admin = env.ref("base.user_admin")
        admin.write({"company_ids": [Command.set(all_ids)]})
        g_clerk = env.ref("vbdt_document.vbdt_document_group_clerk")
        g_leader = env.ref("vbdt_document.vbdt_document_group_leader")
        g_spec = env.ref("vbdt_document.vbdt_document_group_specialist")
        Users = env["res.users"].with_context(**ctx)
        for k, company in enumerate(companies):
            units = env["vbdt.unit"].create(
                [
                    {"name": nfc(uname), "code": ucode, "company_id": company.id}
                    for ucode, uname in UNITS
                ]
            )

            def person(offset, k=k):
                return nfc(
                    f"{GIVEN[(k + offset) % len(GIVEN)]} "
                    f"{NAMES[(3 * k + offset) % len(NAMES)]}"
                )

            def user(login, name, group, unit=None, company=company):
                vals = {
                    "name": name,
                    "login": login,
                    "company_id": company.id,
                    "company_ids": [Command.set([company.id])],
                    "groups_id": [Command.set([group.id])],
                }
                if unit:
                    vals["vbdt_unit_ids"] = [Command.set(unit.ids)]
                return Users.create(vals)

            clerk = user(f"bench_clerk_{k}", person(0), g_clerk, units[0])
            leader = user(f"bench_leader_{k}", person(1), g_leader)
            specialists = [
                user(
                    f"bench_spec_{k}_{j}", person(2 + j), g_spec, units[j % len(units)]
                )
                for j in range(4)
            ]
            tier = AGENCIES[k][3]
            info["companies"].append(
                {
                    "ck": k,
                    "company_id": company.id,
                    "name": company.name,
                    "short": nfc(AGENCIES[k][1]),
                    "agency_code": AGENCIES[k][2],
                    "place": company.vbdt_place,
                    "weight": AGENCIES[k][5],
                    "clerk_uid": clerk.id,
                    "leader_uid": leader.id,
                    "leader_name": leader.name,
                    "leader_position": "Chủ tịch"
                    if tier != "province" or k == 0
                    else "Giám đốc",
                    "spec_uids": [u.id for u in specialists],
                    "unit_ids": units.ids,
                    "unit_codes": [u.code for u in units],
                    "agency_id": company.vbdt_agency_id.id,
                }
            )
        Agency = env["vbdt.agency"]
        for name, short, code, weight in MINISTRIES:
            agency = Agency.create({"name": nfc(name), "code": code, "tier": "central"})
            info["senders"].append(
                {
                    "agency_id": agency.id,
                    "name": agency.name,
                    "short": nfc(short),
                    "code": code,
                    "weight": weight * 10,
                    "internal": False,
                }
            )
        for j, commune in enumerate(COMMUNES):
            district = 31 + j % 9
            code = f"000.{10 + j:02d}.{district}.H44"
            agency = Agency.create(
                {"name": nfc(f"UBND xã {commune}"), "code": code, "tier": "commune"}
            )
            info["senders"].append(
                {
                    "agency_id": agency.id,
                    "name": agency.name,
                    "short": "UBND",
                    "code": code,
                    "weight": 4,
                    "internal": False,
                }
            )
        for company in info["companies"]:
            info["senders"].append(
                {
                    "agency_id": company["agency_id"],
                    "name": company["name"],
                    "short": company["short"],
                    "code": company["agency_code"],
                    "weight": 30 + company["weight"] * 4,
                    "internal": True,
                }
            )
        types = env["vbdt.document.type"].search([])
        info["types"] = [
            {
                "type_id": t.id,
                "name": t.name,
                "abbr": t.abbreviation or None,
                "weight": TYPE_WEIGHTS[t.name],
            }
            for t in types
            if t.name in TYPE_WEIGHTS
        ]
        if len(info["types"]) != len(TYPE_WEIGHTS):
            sys.exit(
                "document types of the seed data not found: "
                f"{set(TYPE_WEIGHTS) - {t['name'] for t in info['types']}}"
            )
        registers = env["vbdt.register"].search([])
        info["registers"] = [
            (r.company_id.id, r.direction, r.confidential, r.id) for r in registers
        ]
        info["admin_uid"] = admin.id
        info["all_company_ids"] = all_ids
        cr.commit()
    log(
        f"ORM set-up: {len(AGENCIES)} agencies, {len(AGENCIES) * 6} users, "
        f"{len(info['senders'])} sender agencies in {time.perf_counter() - t0:.0f} s"
    )
    return info


# --------------------------------------------------------------------------- step 2
def pick_table(items, slots=1000):
    """Rows (slot, item index) so that a uniform slot picks items by weight."""
    total = sum(item["weight"] for item in items)
    rows, acc = [], 0.0
    bounds = []
    for index, item in enumerate(items):
        acc += item["weight"] / total
        bounds.append((acc, index))
    for slot in range(slots):
        point = (slot + 0.5) / slots
        rows.append(
            (slot, next(index for bound, index in bounds if point <= bound + 1e-12))
        )
    return rows


def index_definitions(cr):
    cr.execute("""
        SELECT indexname, indexdef FROM pg_indexes
         WHERE schemaname = 'public' AND tablename = 'vbdt_document'
           AND indexname <> 'vbdt_document_pkey' ORDER BY indexname""")
    return cr.fetchall()


def drop_indexes(cr, definitions):
    for name, _definition in definitions:
        cr.execute(f'DROP INDEX IF EXISTS "{name}"')


def create_indexes(cr, definitions):
    timings = []
    cr.execute("SET maintenance_work_mem = '1GB'")
    for name, definition in definitions:
        t0 = time.perf_counter()
        cr.execute(definition)
        timings.append((name, time.perf_counter() - t0))
    return timings


def load_documents(db, info, n):
    t0 = time.perf_counter()
    conn = pg_connect(db)
    conn.autocommit = True
    cr = conn.cursor()
    definitions = index_definitions(cr)
    drop_indexes(cr, definitions)
    # Consistent by construction: skip the per-row foreign-key triggers.
    cr.execute("SET session_replication_role = replica")
    cr.execute("SET work_mem = '256MB'")

    cr.execute("""CREATE TEMP TABLE bench_company (
        ck int PRIMARY KEY, company_id int, short text, fshort text, agency_code text,
        place text, clerk_uid int, leader_uid int, leader_name text,
        leader_position text, spec_uids int[], unit_ids int[], unit_codes text[],
        funit_codes text[])""")
    for c in info["companies"]:
        cr.execute(
            "INSERT INTO bench_company VALUES "
            "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            (
                c["ck"],
                c["company_id"],
                c["short"],
                fold_text(c["short"]),
                c["agency_code"],
                c["place"],
                c["clerk_uid"],
                c["leader_uid"],
                c["leader_name"],
                c["leader_position"],
                c["spec_uids"],
                c["unit_ids"],
                c["unit_codes"],
                [fold_text(u) for u in c["unit_codes"]],
            ),
        )
    cr.execute("CREATE TEMP TABLE bench_company_pick (slot int PRIMARY KEY, ck int)")
    cr.executemany(
        "INSERT INTO bench_company_pick VALUES (%s, %s)", pick_table(info["companies"])
    )

    cr.execute("""CREATE TEMP TABLE bench_type (tk int PRIMARY KEY, type_id int,
                  abbr text, fabbr text, is_qd bool)""")
    for k, t in enumerate(info["types"]):
        cr.execute(
            "INSERT INTO bench_type VALUES (%s,%s,%s,%s,%s)",
            (
                k,
                t["type_id"],
                t["abbr"],
                fold_text(t["abbr"]) if t["abbr"] else None,
                t["name"] == nfc("Quyết định"),
            ),
        )
    cr.execute("CREATE TEMP TABLE bench_type_pick (slot int PRIMARY KEY, tk int)")
    cr.executemany(
        "INSERT INTO bench_type_pick VALUES (%s, %s)", pick_table(info["types"])
    )

    cr.execute("""CREATE TEMP TABLE bench_sender (sk int PRIMARY KEY, agency_id int,
                  name text, fname text, short text, fshort text, code text,
                  internal bool)""")
    for k, s in enumerate(info["senders"]):
        cr.execute(
            "INSERT INTO bench_sender VALUES (%s,%s,%s,%s,%s,%s,%s,%s)",
            (
                k,
                s["agency_id"],
                s["name"],
                fold_text(s["name"]),
                s["short"],
                fold_text(s["short"]),
                s["code"],
                s["internal"],
            ),
        )
    cr.execute("CREATE TEMP TABLE bench_sender_pick (slot int PRIMARY KEY, sk int)")
    cr.executemany(
        "INSERT INTO bench_sender_pick VALUES (%s, %s)", pick_table(info["senders"])
    )

    cr.execute("""CREATE TEMP TABLE bench_register (company_id int, direction text,
                  confidential bool, register_id int,
                  PRIMARY KEY (company_id, direction, confidential))""")
    cr.executemany("INSERT INTO bench_register VALUES (%s,%s,%s,%s)", info["registers"])
    cr.execute(
        "ANALYZE bench_company, bench_company_pick, bench_type, bench_type_pick, "
        "bench_sender, bench_sender_pick, bench_register"
    )

    words = {}
    for key, phrases in (
        ("p", PREFIXES),
        ("o", OBJECTS),
        ("t", TOPICS),
        ("q", QUALIFIERS),
    ):
        phrases = [nfc(p) for p in phrases]
        words[key] = phrases
        words["f" + key] = [fold_text(p) for p in phrases]
    words["cv"] = CV_UNITS
    words["fcv"] = [fold_text(u) for u in CV_UNITS]
    words["n"] = n
    words["days"] = DAYS

    log(f"staging {n} rows of random numbers")
    cr.execute("SELECT setseed(0.4242)")
    cr.execute(
        """CREATE UNLOGGED TABLE bench_stage AS
        SELECT i, random() r_comp, random() r_dir, random() r_conf, random() r_date,
               random() r_type, random() r_sender, random() r_state, random() r_p,
               random() r_o, random() r_t, random() r_q, random() r_urg,
               random() r_unit, random() r_spec, random() r_num, random() r_due,
               random() r_a, random() r_b, random() r_c, random() r_d
          FROM generate_series(1, %(n)s) i""",
        words,
    )

    log("inserting documents")
    t1 = time.perf_counter()
    cr.execute("""SELECT column_name FROM information_schema.columns
                   WHERE table_schema = 'public' AND table_name = 'vbdt_document'""")
    existing = {row[0] for row in cr.fetchall()}
    extra = {
        column: expr for column, expr in OPTIONAL_COLUMNS.items() if column in existing
    }
    insert_sql = INSERT_SQL.replace(
        "/*EXTRA_COLUMNS*/", "".join(f", {column}" for column in extra)
    ).replace("/*EXTRA_VALUES*/", "".join(f",\n    {expr}" for expr in extra.values()))
    cr.execute(insert_sql, words)
    log(f"  {cr.rowcount} documents in {time.perf_counter() - t1:.0f} s")
    cr.execute("DROP TABLE bench_stage")

    t1 = time.perf_counter()
    cr.execute("""
        INSERT INTO vbdt_document_participant_rel (document_id, user_id)
        SELECT id, drafter_id FROM vbdt_document WHERE drafter_id IS NOT NULL
        UNION ALL
        SELECT id, signer_id FROM vbdt_document
         WHERE signer_id IS NOT NULL AND signer_id IS DISTINCT FROM drafter_id""")
    participants = cr.rowcount
    cr.execute("""
        INSERT INTO vbdt_document_confidential_user_rel (document_id, user_id)
        SELECT d.id, d.create_uid FROM vbdt_document d
         WHERE d.confidentiality <> 'normal'
        UNION
        SELECT d.id, c.leader_uid
          FROM vbdt_document d JOIN bench_company c USING (company_id)
         WHERE d.confidentiality <> 'normal'""")
    readers = cr.rowcount
    cr.execute("""
        INSERT INTO vbdt_document_file (document_id, company_id, role, role_sequence,
                                        sequence, name, checksum_sha256, description,
                                        create_uid, write_uid, create_date,
                                        write_date)
        SELECT id, company_id, 'main', 0, 10,
               COALESCE(replace(code, '/', '_'), 'du_thao_' || id) || '.pdf',
               encode(sha256(('main-' || id)::bytea), 'hex'), NULL,
               create_uid, create_uid, create_date, create_date
          FROM vbdt_document WHERE has_main_file
        UNION ALL
        SELECT id, company_id, 'attachment', 1, 20, 'phu_luc_01.pdf',
               encode(sha256(('annex-' || id)::bytea), 'hex'), 'Phụ lục',
               create_uid, create_uid, create_date, create_date
          FROM vbdt_document WHERE has_main_file AND id % 3 = 0""")
    files = cr.rowcount
    # Let the registers continue after the loaded numbers (if the base is kept).
    cr.execute("""
        UPDATE ir_sequence_date_range dr SET number_next = m.last + 1
          FROM (SELECT r.sequence_id, d.register_year,
                       max(CASE WHEN d.direction = 'outgoing' THEN d.number
                                ELSE d.arrival_number END) AS last
                  FROM vbdt_document d JOIN vbdt_register r ON r.id = d.register_id
                 WHERE d.register_year IS NOT NULL GROUP BY 1, 2) m
         WHERE dr.sequence_id = m.sequence_id
           AND dr.date_from = make_date(m.register_year, 1, 1)
           AND m.last IS NOT NULL""")
    cr.execute(
        "SELECT setval('vbdt_document_id_seq', (SELECT max(id) FROM vbdt_document))"
    )
    log(
        f"  {participants} participant, {readers} secret-reader and {files} file rows "
        f"in {time.perf_counter() - t1:.0f} s"
    )
    cr.execute("RESET session_replication_role")
    t1 = time.perf_counter()
    cr.execute(
        "VACUUM (ANALYZE) vbdt_document, vbdt_document_participant_rel, "
        "vbdt_document_confidential_user_rel, vbdt_document_file"
    )
    log(f"  VACUUM ANALYZE in {time.perf_counter() - t1:.0f} s")
    # The dashboard reads a materialized view, refreshed by a cron in production.
    t1 = time.perf_counter()
    cr.execute("REFRESH MATERIALIZED VIEW vbdt_document_statistics")
    log(
        f"  dashboard figures (vbdt_document_statistics) refreshed in "
        f"{time.perf_counter() - t1:.1f} s"
    )

    # The stored search key must be what the model would have computed.
    cr.execute(
        """SELECT code, subject, sender_name, search_text FROM vbdt_document
                   WHERE id %% %s = 0 LIMIT 3000""",
        [max(1, n // 3000)],
    )
    sample = cr.fetchall()
    bad = [
        row for row in sample if fold_text(" ".join(p for p in row[:3] if p)) != row[3]
    ]
    if bad:
        sys.exit(
            f"search_text differs from fold_text on {len(bad)}/{len(sample)} rows, "
            f"e.g. {bad[0]}"
        )
    log(
        f"  search_text checked against notation.fold_text on {len(sample)} sampled "
        "rows"
    )
    conn.close()
    log(f"loaded in {time.perf_counter() - t0:.0f} s")
    return definitions


# Columns added to the model after this script was written: filled when present.
OPTIONAL_COLUMNS = {
    "dispatch_date": (
        "CASE WHEN f.direction = 'outgoing' AND f.numbered THEN f.register_date END"
    ),
}

INSERT_SQL = """
WITH a AS (
    SELECT s.*, c.company_id, c.short, c.fshort, c.agency_code, c.place, c.clerk_uid,
           c.leader_uid, c.leader_name, c.leader_position, c.spec_uids, c.unit_ids,
           c.unit_codes, c.funit_codes,
           t.type_id, t.abbr, t.fabbr, t.is_qd,
           se.agency_id AS sender_id, se.name AS sender_name, se.fname AS fsender_name,
           se.short AS sender_short, se.fshort AS sender_fshort, se.code AS sender_code,
           se.internal AS sender_internal,
           CASE WHEN s.r_dir < 0.6 THEN 'incoming' ELSE 'outgoing' END AS direction,
           CASE WHEN s.r_conf < 0.98 THEN 'normal'
                WHEN s.r_conf < 0.995 THEN 'confidential'
                WHEN s.r_conf < 0.999 THEN 'secret'
                ELSE 'top_secret' END AS confidentiality,
           CURRENT_DATE - floor(s.r_date * %(days)s)::int AS register_date,
           1 + floor(s.r_unit * 5)::int AS unit_k,
           1 + floor(s.r_spec * 4)::int AS spec_k,
           1 + floor(s.r_c * 8)::int AS cv_k
      FROM bench_stage s
      JOIN bench_company_pick cp ON cp.slot = floor(s.r_comp * 1000)::int
      JOIN bench_company c ON c.ck = cp.ck
      JOIN bench_type_pick tp ON tp.slot = floor(s.r_type * 1000)::int
      JOIN bench_type t ON t.tk = tp.tk
      JOIN bench_sender_pick sp ON sp.slot = floor(s.r_sender * 1000)::int
      JOIN bench_sender se ON se.sk = sp.sk
), b AS (
    SELECT a.*,
           CASE WHEN a.direction = 'outgoing' THEN
                    CASE WHEN a.r_state < 0.90 THEN 'issued'
                         WHEN a.r_state < 0.98 THEN 'draft'
                         ELSE 'cancelled' END
                WHEN a.register_date > CURRENT_DATE - 10 AND a.r_state < 0.40
                    THEN 'received'
                WHEN a.r_state < 0.002 THEN 'received'
                WHEN a.r_state < 0.012 THEN 'returned'
                WHEN a.r_state < 0.017 THEN 'cancelled'
                ELSE 'registered' END AS state,
           CASE WHEN a.r_urg < 0.85 THEN 0 WHEN a.r_urg < 0.95 THEN 1
                WHEN a.r_urg < 0.98 THEN 2 WHEN a.r_urg < 0.998 THEN 3
                ELSE 4 END AS urgency_rank
      FROM a
), c AS (
    SELECT b.*, r.register_id,
           (b.direction = 'outgoing' AND b.state = 'issued')
               OR (b.direction = 'incoming' AND b.state = 'registered') AS numbered,
           b.direction = 'outgoing' AND b.is_qd AND b.r_d < 0.05 AS legal
      FROM b JOIN bench_register r
        ON r.company_id = b.company_id AND r.direction = b.direction
       AND r.confidential = (b.confidentiality <> 'normal')
), d AS (
    SELECT c.*,
           CASE WHEN c.numbered THEN row_number() OVER (
                PARTITION BY c.register_id, extract(year FROM c.register_date),
                             c.numbered
                ORDER BY c.register_date, c.i) END AS seq
      FROM c
), e AS (
    SELECT d.*,
           CASE WHEN d.direction = 'outgoing' THEN
                    CASE WHEN d.numbered THEN d.seq END
                ELSE 1 + floor(d.r_num * 3000)::int END AS num,
           CASE WHEN d.direction = 'outgoing' THEN
                    CASE WHEN d.numbered THEN
                        COALESCE(d.abbr || '-', '') || d.short
                        || CASE WHEN d.abbr IS NULL THEN '-' || d.unit_codes[d.unit_k]
                                ELSE '' END END
                ELSE COALESCE(d.abbr || '-', '') || d.sender_short
                     || CASE WHEN d.abbr IS NULL THEN '-' || (%(cv)s::text[])[d.cv_k]
                             ELSE '' END
           END AS notation,
           CASE WHEN d.direction = 'outgoing' THEN
                    CASE WHEN d.numbered THEN
                        COALESCE(d.fabbr || '-', '') || d.fshort
                        || CASE WHEN d.abbr IS NULL THEN '-' || d.funit_codes[d.unit_k]
                                ELSE '' END END
                ELSE COALESCE(d.fabbr || '-', '') || d.sender_fshort
                     || CASE WHEN d.abbr IS NULL THEN '-' || (%(fcv)s::text[])[d.cv_k]
                             ELSE '' END
           END AS fnotation,
           1 + floor(d.r_p * array_length(%(p)s::text[], 1))::int AS pk,
           1 + floor(d.r_o * array_length(%(o)s::text[], 1))::int AS ok,
           1 + floor(d.r_t * array_length(%(t)s::text[], 1))::int AS tk,
           1 + floor(d.r_q * array_length(%(q)s::text[], 1))::int AS qk
      FROM d
), f AS (
    SELECT e.*,
           CASE WHEN e.notation IS NOT NULL THEN
               CASE WHEN e.num < 10 THEN '0' || e.num ELSE e.num::text END || '/'
               || CASE WHEN e.legal THEN extract(year FROM e.register_date)::int || '/'
                       ELSE '' END
           END AS prefix,
           (%(p)s::text[])[e.pk] || ' ' || (%(o)s::text[])[e.ok]
               || ' ' || (%(t)s::text[])[e.tk] || ' ' || (%(q)s::text[])[e.qk]
               AS subject,
           (%(fp)s::text[])[e.pk] || ' ' || (%(fo)s::text[])[e.ok]
               || ' ' || (%(ft)s::text[])[e.tk] || ' ' || (%(fq)s::text[])[e.qk]
               AS fsubject,
           e.register_date
               - CASE WHEN e.direction = 'incoming' THEN floor(e.r_b * 5)::int
                      ELSE 0 END
               AS document_date,
           e.register_date + time '08:00' + e.r_b * interval '9 hours'
               - interval '7 hours' AS stamp
      FROM e
)
INSERT INTO vbdt_document (
    company_id, register_id, register_year, number, document_type_id, signer_id,
    unit_id, drafter_id, sender_agency_id, arrival_number, urgency_rank, page_count,
    copy_count, create_uid, write_uid, direction, state, notation, code, place,
    subject, search_text, signer_name, signer_position, signer_authority,
    drafter_initials, sender_name, arrival_channel, urgency, confidentiality,
    edxml_document_id, register_date, document_date, due_date, content,
    recipient_note, is_closed, legal_normative, paper_copy, sent_via_axis,
    has_main_file,
    arrival_date, directed_date, create_date, write_date/*EXTRA_COLUMNS*/)
SELECT
    f.company_id,
    f.register_id,
    CASE WHEN f.numbered THEN extract(year FROM f.register_date)::int END,
    f.num,
    f.type_id,
    CASE WHEN f.direction = 'outgoing' AND f.numbered THEN f.leader_uid END,
    CASE WHEN f.direction = 'outgoing' OR f.r_b >= 0.1 THEN f.unit_ids[f.unit_k] END,
    CASE WHEN f.direction = 'outgoing' THEN f.spec_uids[f.spec_k] ELSE f.clerk_uid END,
    CASE WHEN f.direction = 'incoming' THEN f.sender_id END,
    CASE WHEN f.direction = 'incoming' AND f.numbered THEN f.seq END,
    f.urgency_rank,
    1 + floor(f.r_c * 12)::int,
    CASE WHEN f.direction = 'outgoing' THEN 1 + floor(f.r_d * 10)::int END,
    CASE WHEN f.direction = 'outgoing' THEN f.spec_uids[f.spec_k] ELSE f.clerk_uid END,
    CASE WHEN f.direction = 'outgoing' THEN f.spec_uids[f.spec_k] ELSE f.clerk_uid END,
    f.direction,
    f.state,
    f.notation,
    f.prefix || f.notation,
    CASE WHEN f.direction = 'outgoing' THEN f.place END,
    f.subject,
    concat_ws(' ', f.prefix || f.fnotation, f.fsubject,
              CASE WHEN f.direction = 'incoming' THEN f.fsender_name END),
    CASE WHEN f.direction = 'outgoing' AND f.numbered THEN f.leader_name END,
    CASE WHEN f.direction = 'outgoing' AND f.numbered THEN f.leader_position END,
    CASE WHEN f.direction = 'outgoing' AND f.numbered THEN
        CASE WHEN f.r_d < 0.5 THEN 'tm' ELSE 'kt' END END,
    CASE WHEN f.direction = 'outgoing'
         THEN chr(65 + f.spec_k) || chr(72 + f.unit_k) END,
    CASE WHEN f.direction = 'incoming' THEN f.sender_name END,
    CASE WHEN f.direction = 'outgoing' THEN 'paper'
         WHEN f.sender_internal THEN 'internal'
         WHEN f.r_a < 0.6 THEN 'axis' WHEN f.r_a < 0.9 THEN 'paper'
         WHEN f.r_a < 0.98 THEN 'email' ELSE 'other' END,
    (ARRAY['normal', 'urgent', 'very_urgent', 'flash', 'flash_timed'])
        [f.urgency_rank + 1],
    f.confidentiality,
    CASE WHEN f.notation IS NULL THEN NULL
         WHEN f.direction = 'outgoing' THEN
             f.agency_code || ',' || to_char(f.document_date, 'YYYY/MM/DD') || ','
             || f.prefix || f.notation
         ELSE f.sender_code || ',' || to_char(f.document_date, 'YYYY/MM/DD') || ','
             || f.prefix || f.notation
    END,
    f.register_date,
    CASE WHEN f.direction = 'incoming' OR f.numbered THEN f.document_date END,
    CASE WHEN f.direction = 'incoming' AND f.r_due < 0.5
         THEN f.register_date + 7 + floor(f.r_due * 40)::int END,
    CASE WHEN f.r_d < 0.3 THEN 'Nội dung chính: ' || f.subject
         || '. Đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện, '
         || 'báo cáo kết quả về '
         || 'cơ quan chủ trì trước thời hạn quy định.' END,
    CASE WHEN f.direction = 'outgoing'
         THEN 'Như trên; Lưu: VT, ' || f.unit_codes[f.unit_k] || '.' END,
    f.state IN ('issued', 'returned', 'cancelled'),
    f.legal,
    f.direction = 'outgoing' AND f.numbered AND f.r_a < 0.2,
    f.direction = 'outgoing' AND f.numbered AND f.r_a >= 0.3,
    CASE WHEN f.state = 'draft' THEN f.r_a < 0.5 ELSE f.r_c < 0.85 END,
    CASE WHEN f.direction = 'incoming' THEN f.stamp END,
    CASE WHEN f.direction = 'incoming' AND f.state = 'registered' AND f.r_a < 0.6
         THEN f.stamp + interval '1 day' END,
    f.stamp,
    f.stamp/*EXTRA_VALUES*/
FROM f
ORDER BY f.register_date, f.i
"""


# --------------------------------------------------------------------------- step 3
LIST_SPEC_FIELDS = [
    "direction",
    "arrival_number",
    "register_date",
    "code",
    "document_date",
    "document_type_id",
    "subject",
    "sender_name",
    "unit_id",
    "signer_name",
    "due_date",
    "urgency",
    "confidentiality",
    "company_id",
    "is_closed",
    "state",
]
KANBAN_SPEC_FIELDS = [
    "code",
    "urgency",
    "subject",
    "sender_name",
    "register_date",
    "due_date",
]


def spec(model, names):
    result = {}
    for name in names:
        field = model._fields[name]
        result[name] = (
            {"fields": {"display_name": {}}} if field.type == "many2one" else {}
        )
    return result


def summarize_list(result):
    length = result["length"]
    shown = f"{length - 1}+" if length == 10001 else str(length)
    return f"{len(result['records'])}/{shown}"


class UiDomains:
    """Domains as the web client builds them from the actions and the search
    view stored in the database, so that the benchmark follows changes to the
    views; the fallback given is used when an element is not found."""

    def __init__(self, env):
        from dateutil.relativedelta import relativedelta
        from lxml import etree

        from odoo.tools import safe_eval as safe

        self.env = env
        self.safe_eval = safe.safe_eval
        view = env.ref(
            "vbdt_document.vbdt_document_view_search", raise_if_not_found=False
        )
        arch = env["vbdt.document"].get_view(view.id if view else None, "search")[
            "arch"
        ]
        self.root = etree.fromstring(arch)
        today = datetime.date.today()
        self.context = {
            "context_today": lambda: today,
            "datetime": safe.datetime,
            "time": safe.time,
            "relativedelta": relativedelta,
            "uid": env.uid,
            "user": env.user,
        }

    def action(self, xmlid, fallback):
        action = self.env.ref(xmlid, raise_if_not_found=False)
        return (
            self.safe_eval(action.domain or "[]", self.context) if action else fallback
        )

    def filter(self, name, fallback):
        node = self.root.find(f".//filter[@name='{name}']")
        if node is None or not node.get("domain"):
            return fallback
        return self.safe_eval(node.get("domain"), self.context)

    def field(self, name, value, operator="ilike"):
        """Typing ``value`` and choosing "Search <field> for: value"."""
        node = self.root.find(f".//field[@name='{name}']")
        if node is not None and node.get("filter_domain"):
            return self.safe_eval(
                node.get("filter_domain"),
                {**self.context, "self": value, "raw_value": value},
            )
        return [(name, operator, value)]


def build_queries(env, info):
    """(name, users, callable(env) -> rows text, domain). ``env`` is the user's."""
    from odoo.osv.expression import AND

    ui = UiDomains(env)
    today = datetime.date.today()
    first_this_month = today.replace(day=1)
    last_month_end = first_this_month - datetime.timedelta(days=1)
    last_month_start = last_month_end.replace(day=1)
    last_year = today.year - 1
    INCOMING = ui.action(
        "vbdt_document.vbdt_document_action_incoming", [("direction", "=", "incoming")]
    )
    OUTGOING = ui.action(
        "vbdt_document.vbdt_document_action_outgoing", [("direction", "=", "outgoing")]
    )
    SEARCH = ui.action("vbdt_document.vbdt_document_action_search", [])
    WAITING = ui.action(
        "vbdt_document.vbdt_document_action_incoming_waiting",
        INCOMING + [("state", "=", "received")],
    )
    queries = []

    def add(name, users, func, domain=None):
        queries.append((name, users, func, domain))

    def listing(domain, order=None, count_limit=10000):
        def run(env):
            Doc = env["vbdt.document"]
            result = Doc.web_search_read(
                domain,
                spec(Doc, LIST_SPEC_FIELDS),
                limit=80,
                order=order,
                count_limit=count_limit + 1,
            )
            return summarize_list(result)

        return run

    def add_list(name, users, domain, order=None):
        add(
            name,
            users,
            listing(domain, order),
            domain if order is None else f"{domain} order {order}",
        )

    both = ("clerk", "admin")
    add_list("list: incoming, default page + count", both + ("specialist",), INCOMING)
    add_list("list: all documents (Search menu)", both + ("specialist",), SEARCH)
    add_list("list: outgoing, default page + count", both, OUTGOING)
    add_list(
        "search 'quyet dinh' (display_name, folded)",
        both + ("specialist",),
        AND([SEARCH, ui.field("display_name", "quyet dinh")]),
    )
    add_list(
        "search 'Quyết định' typed with accents",
        ("clerk",),
        AND([SEARCH, ui.field("display_name", "Quyết định")]),
    )
    add_list(
        "search 'chuyen doi so tai huyen tan son' (rare)",
        both,
        AND([SEARCH, ui.field("display_name", "chuyen doi so tai huyen tan son")]),
    )
    add_list(
        "search 'hop tac quoc te' (no match)",
        both,
        AND([SEARCH, ui.field("display_name", "hop tac quoc te")]),
    )
    add_list("search code '15/QĐ'", both, AND([SEARCH, ui.field("code", "15/QĐ")]))
    add_list(
        "search code '1234/BTC-NSNN'",
        both,
        AND([SEARCH, ui.field("code", "1234/BTC-NSNN")]),
    )
    add_list(
        "incoming: search sender 'Bộ Tài chính' (sender_agency_id)",
        both,
        AND([INCOMING, ui.field("sender_agency_id", "Bộ Tài chính")]),
    )
    add_list(
        "incoming: sender picked from autocomplete",
        both,
        AND([INCOMING, [("sender_agency_id", "=", info["senders"][2]["agency_id"])]]),
    )
    add_list(
        "incoming: search sender name 'tài chính'",
        both,
        AND([INCOMING, ui.field("sender_name", "tài chính")]),
    )
    add_list(
        "incoming: register date = last month",
        both,
        AND(
            [
                INCOMING,
                [
                    ("register_date", ">=", last_month_start),
                    ("register_date", "<=", last_month_end),
                ],
            ]
        ),
    )
    add_list(
        f"incoming: register date = Q2 {last_year}",
        both,
        AND(
            [
                INCOMING,
                [
                    ("register_date", ">=", datetime.date(last_year, 4, 1)),
                    ("register_date", "<=", datetime.date(last_year, 6, 30)),
                ],
            ]
        ),
    )
    add_list("waiting for registration (default order)", both, WAITING)
    add_list(
        "waiting for registration, urgency first",
        both,
        WAITING,
        order="urgency_rank desc, register_date desc, id desc",
    )
    add_list(
        "overdue filter",
        both,
        AND(
            [
                SEARCH,
                ui.filter(
                    "filter_overdue",
                    [("is_closed", "=", False), ("due_date", "<", today)],
                ),
            ]
        ),
    )
    add_list(
        "incoming: urgent filter",
        both,
        AND([INCOMING, ui.filter("filter_urgent", [("urgency", "!=", "normal")])]),
    )
    add_list(
        "secret filter",
        both + ("specialist",),
        AND(
            [
                SEARCH,
                ui.filter("filter_confidential", [("confidentiality", "!=", "normal")]),
            ]
        ),
    )

    def kanban(env):
        # As the web client: the groups, then the first 40 cards of each open
        # column (its count capped at 10000 like a list).
        Doc = env["vbdt.document"]
        groups = Doc.web_read_group(
            INCOMING, ["__count"], ["state"], limit=80, lazy=True
        )["groups"]
        cards = 0
        for group in groups:
            if group.get("__fold") or not group.get(
                "state_count", group.get("__count", 1)
            ):
                continue
            result = Doc.web_search_read(
                group["__domain"],
                spec(Doc, KANBAN_SPEC_FIELDS),
                limit=40,
                count_limit=10001,
            )
            cards += len(result["records"])
        return f"{len(groups)} groups/{cards} cards"

    add("kanban: incoming by state (+40 cards/column)", both, kanban, INCOMING)

    def group_state(env):
        groups = env["vbdt.document"].web_read_group(
            INCOMING, ["__count"], ["state"], limit=80
        )
        return f"{len(groups['groups'])} groups"

    add("list grouped by state (read_group)", both, group_state, INCOMING)

    def pivot(env):
        groups = env["vbdt.document"].read_group(
            INCOMING,
            ["__count"],
            ["register_date:month", "document_type_id"],
            lazy=False,
        )
        return f"{len(groups)} cells"

    add("pivot: month x type (read_group)", both, pivot, INCOMING)

    def graph(env):
        groups = env["vbdt.document"].read_group(
            [], ["__count"], ["register_date:month", "direction"], lazy=False
        )
        return f"{len(groups)} bars"

    add("graph: month x direction, all (read_group)", both, graph, SEARCH)

    def dashboard(env):
        Stats = env["vbdt.document.statistics"]
        rows = Stats.search_read(
            [("year", "=", today.year)],
            [
                "company_id",
                "year",
                "received_count",
                "sent_count",
                "directed_count",
                "axis_received_count",
                "axis_sent_count",
                "digitised_rate",
                "directed_rate",
                "urgent_count",
                "overdue_count",
            ],
            limit=40,
        )
        return f"{len(rows)} rows"

    add(
        "dashboard: statistics this year (search_read)",
        both,
        dashboard,
        f"vbdt.document.statistics [('year', '=', {today.year})]",
    )

    env.cr.execute(
        """SELECT sender_agency_id, code, document_date, edxml_document_id, company_id
                        FROM vbdt_document
                       WHERE direction = 'incoming' AND company_id = %s
                         AND code IS NOT NULL AND sender_agency_id IS NOT NULL
                       ORDER BY id DESC LIMIT 1""",
        [info["companies"][0]["company_id"]],
    )
    sender, code, doc_date, edxml_id, company = env.cr.fetchone()

    def duplicate(env):
        Doc = env["vbdt.document"]
        domain = [
            ("direction", "=", "incoming"),
            ("company_id", "=", company),
            ("state", "!=", "cancelled"),
            "|",
            "&",
            "&",
            ("sender_agency_id", "=", sender),
            ("code", "=ilike", code),
            ("document_date", "=", doc_date),
            ("edxml_document_id", "=", edxml_id),
        ]
        return f"{len(Doc.sudo().search(domain, order='id', limit=1))} found"

    add("duplicate check on arrival (_vbdt_find_duplicates)", ("clerk",), duplicate)
    return queries


@contextlib.contextmanager
def capture_sql():
    """Record (ms, query, params) of every statement run through Odoo cursors."""
    from odoo import sql_db

    captured = []
    original = sql_db.Cursor.execute

    def execute(self, query, params=None, log_exceptions=True):
        raw_query, raw_params = (
            (query.code, query.params)
            if isinstance(query, sql_db.SQL)
            else (query, params)
        )
        start = time.perf_counter()
        try:
            return original(self, query, params, log_exceptions)
        finally:
            captured.append(
                ((time.perf_counter() - start) * 1000, raw_query, raw_params)
            )

    sql_db.Cursor.execute = execute
    try:
        yield captured
    finally:
        sql_db.Cursor.execute = original


def time_queries(registry, info, repeat, label, explain_over=None):
    """Time every query for every persona; returns {(name, user): result}."""
    from odoo import api

    results = {}
    personas = {
        "clerk": (
            info["companies"][0]["clerk_uid"],
            [info["companies"][0]["company_id"]],
        ),
        "admin": (info["admin_uid"], info["all_company_ids"]),
        "specialist": (
            info["companies"][2]["spec_uids"][0],
            [info["companies"][2]["company_id"]],
        ),
    }
    with registry.cursor() as cr:
        base_env = api.Environment(cr, info["admin_uid"], {})
        queries = build_queries(base_env, info)
        envs = {
            name: api.Environment(
                cr,
                uid,
                {
                    "lang": "en_US",
                    "tz": "Asia/Ho_Chi_Minh",
                    "allowed_company_ids": companies,
                },
            )
            for name, (uid, companies) in personas.items()
        }
        for name, users, func, _domain in queries:
            for user in users:
                env = envs[user]
                env.invalidate_all()
                func(env)  # warm-up: rule and registry caches, PostgreSQL buffers
                times = []
                rows = None
                for _ in range(repeat):
                    env.invalidate_all()
                    t0 = time.perf_counter()
                    rows = func(env)
                    times.append((time.perf_counter() - t0) * 1000)
                entry = {
                    "rows": rows,
                    "median": statistics.median(times),
                    "p95": percentile(times, 95),
                    "times": times,
                }
                if explain_over is not None and entry["p95"] > explain_over:
                    entry["explain"] = explain_slowest(env, func)
                results[(name, user)] = entry
                print(
                    f"  {label:6} {user:10} {entry['median']:8.1f} ms  {rows:>24}  "
                    f"{name}",
                    flush=True,
                )
        cr.rollback()
    return queries, results


def explain_slowest(env, func):
    env.invalidate_all()
    with capture_sql() as captured:
        func(env)
    statements = [
        c for c in captured if c[1].lstrip().upper().startswith(("SELECT", "WITH"))
    ]
    if not statements:
        return None
    ms, query, params = max(statements, key=lambda c: c[0])
    cr = env.cr
    sql_text = cr._obj.mogrify(query, params).decode()
    cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + query, params)
    plan = "\n".join(row[0] for row in cr.fetchall())
    return {"ms": ms, "sql": sql_text, "plan": plan, "statements": len(captured)}


# --------------------------------------------------------------------------- report
def machine_info(db):
    conn = pg_connect(db)
    cr = conn.cursor()
    cr.execute("SELECT version()")
    version = cr.fetchone()[0].split(" on ")[0]
    settings = {}
    for name in (
        "shared_buffers",
        "work_mem",
        "effective_cache_size",
        "random_page_cost",
        "max_parallel_workers_per_gather",
        "jit",
    ):
        cr.execute(f"SHOW {name}")
        settings[name] = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM pg_extension WHERE extname = 'unaccent'")
    settings["unaccent extension"] = "present" if cr.fetchone()[0] else "absent"
    cr.execute("""SELECT pg_size_pretty(pg_table_size('vbdt_document')),
                         pg_size_pretty(pg_indexes_size('vbdt_document')),
                         (SELECT count(*) FROM vbdt_document)""")
    table, indexes, count = cr.fetchone()
    conn.close()
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        with open("/proc/cpuinfo") as handle:
            models = [
                line.split(":", 1)[1].strip()
                for line in handle
                if line.startswith("model name")
            ]
            cpu = models[0] if models else cpu
    mem = ""
    with contextlib.suppress(OSError):
        with open("/proc/meminfo") as handle:
            kb = int(
                next(line for line in handle if line.startswith("MemTotal")).split()[1]
            )
            mem = f"{kb / 1024 / 1024:.0f} GB RAM"
    return {
        "machine": f"{platform.node()}: {os.cpu_count()} x {cpu}, {mem}, "
        f"{platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}",
        "postgres": f"{version} ({', '.join(f'{k}={v}' for k, v in settings.items())})",
        "table": f"vbdt_document: {count} rows, table {table}, indexes {indexes}",
        "count": count,
    }


def report(queries, before, after, budget, header):
    lines = list(header)
    lines.append("")
    lines.append(
        "Times in ms: median (p95) of the runs; PASS = median with indexes <= "
        f"{budget:.0f} ms "
        f"(PASS* = median within, p95 over)."
    )
    lines.append(
        "rows: list = records shown/count (capped at 10000+ as the web client does)."
    )
    lines.append("")
    rows = [("query", "user", "rows", "before ms", "after ms", "speed-up", "result")]
    for name, users, _func, _domain in queries:
        for user in users:
            b, a = before.get((name, user)), after[(name, user)]
            ratio = b["median"] / a["median"] if b and a["median"] > 0 else None
            speed = (
                "-"
                if ratio is None
                else f"{ratio:.1f}x"
                if ratio < 10
                else f"{ratio:.0f}x"
            )
            rows.append(
                (
                    name,
                    user,
                    a["rows"],
                    f"{fmt_ms(b['median'])} ({fmt_ms(b['p95'])})" if b else "-",
                    f"{fmt_ms(a['median'])} ({fmt_ms(a['p95'])})",
                    speed,
                    ("PASS" if a["p95"] <= budget else "PASS*")
                    if a["median"] <= budget
                    else "FAIL",
                )
            )
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for index, row in enumerate(rows):
        cells = [
            str(cell).ljust(widths[i]) if i < 3 else str(cell).rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("| " + " | ".join(cells) + " |")
        if index == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    lines.append("")
    lines.append("Domains (read from the actions and the search view in the database):")
    lines.append("")
    for name, _users, _func, domain in queries:
        if domain is not None:
            lines.append(f"- {name}: `{domain}`")
    failed = [key for key, entry in after.items() if entry["median"] > budget]
    lines.append("")
    lines.append(
        f"{len(after) - len(failed)} of {len(after)} calls within {budget:.0f} ms "
        "with indexes "
        "(median)."
    )
    for (name, user), entry in after.items():
        if entry["p95"] <= budget:
            continue
        explain = entry.get("explain")
        lines.append("")
        lines.append(
            f"### {'FAIL' if (name, user) in failed else 'p95 over budget'}: {name} "
            f"[{user}] "
            f"median {entry['median']:.0f} ms, p95 {entry['p95']:.0f} ms"
        )
        if explain:
            lines.append(
                f"Slowest of {explain['statements']} statements ({explain['ms']:.0f} "
                "ms):"
            )
            lines.append("```")
            lines.append(explain["sql"])
            lines.append(explain["plan"])
            lines.append("```")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main
def loadavg():
    with contextlib.suppress(OSError):
        return " ".join(open("/proc/loadavg").read().split()[:3])
    return "?"


def save_info(db, info):
    """Keep the ids of the bench data in the database, for --reuse."""
    conn = pg_connect(db)
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute("CREATE TABLE IF NOT EXISTS bench_info (data jsonb)")
        cr.execute("DELETE FROM bench_info")
        cr.execute("INSERT INTO bench_info VALUES (%s)", [json.dumps(info)])
    conn.close()


def read_info(db):
    conn = pg_connect(db)
    with conn.cursor() as cr:
        cr.execute("SELECT to_regclass('bench_info') IS NOT NULL")
        if not cr.fetchone()[0]:
            sys.exit(f"{db} was not made by this script (no bench_info table)")
        cr.execute("SELECT data FROM bench_info")
        info = cr.fetchone()[0]
    conn.close()
    return info


def database_exists(db):
    conn = pg_connect("postgres")
    with conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        found = bool(cr.fetchone())
    conn.close()
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--documents", type=int, default=1_000_000, help="documents to load"
    )
    parser.add_argument(
        "--db", default="vbdt_bench", help="database (name starts with vbdt_bench)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database afterwards"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per call")
    parser.add_argument(
        "--budget", type=float, default=200.0, help="ms a call may take"
    )
    parser.add_argument(
        "--skip-before", action="store_true", help="only time with indexes (faster)"
    )
    parser.add_argument(
        "--unaccent",
        action="store_true",
        help="create the unaccent extension as Odoo's --unaccent does "
        "(Odoo then searches unaccent(column) ILIKE ...)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time again on a database kept by an earlier run (after a "
        "model change: odoo-bin -u vbdt_document first); implies --keep",
    )
    parser.add_argument(
        "--extra-addons",
        action="append",
        default=[],
        metavar="DIR",
        help="another addons folder (e.g. holding a patch addon installed "
        "into a kept database, to time a proposed change with --reuse)",
    )
    args = parser.parse_args()
    if not args.db.startswith("vbdt_bench"):
        parser.error("--db must start with vbdt_bench")
    if args.documents < 1000:
        parser.error("--documents must be at least 1000")
    if args.reuse and not database_exists(args.db):
        parser.error(f"--reuse: database {args.db} does not exist")
    keep = args.keep or args.reuse

    started = time.perf_counter()
    load_start = loadavg()
    if not args.reuse:
        create_and_install(args.db, args.unaccent)
    try:
        registry = odoo_start(args.db, args.extra_addons)
        if args.reuse:
            info = read_info(args.db)
            conn = pg_connect(args.db)
            with conn.cursor() as cr:
                definitions = index_definitions(cr)
            conn.close()
        else:
            info = setup_orm(registry)
            save_info(args.db, info)
            definitions = load_documents(args.db, info, args.documents)
        before = {}
        if not args.skip_before:
            if args.reuse:
                conn = pg_connect(args.db)
                conn.autocommit = True
                with conn.cursor() as cr:
                    drop_indexes(cr, definitions)
                conn.close()
            log(
                f"timing WITHOUT the {len(definitions)} vbdt_document indexes "
                f"(primary key only), {args.repeat} runs each; load average {loadavg()}"
            )
            _queries, before = time_queries(registry, info, args.repeat, "before")
        if not args.reuse or not args.skip_before:
            log("creating the indexes: " + ", ".join(name for name, _d in definitions))
            conn = pg_connect(args.db)
            conn.autocommit = True
            with conn.cursor() as cr:
                built = create_indexes(cr, definitions)
                cr.execute("ANALYZE vbdt_document")
            conn.close()
            for name, seconds in built:
                log(f"  {name}: {seconds:.1f} s")
        log(f"timing WITH indexes, {args.repeat} runs each; load average {loadavg()}")
        queries, after = time_queries(
            registry, info, args.repeat, "after", explain_over=args.budget
        )
        info_machine = machine_info(args.db)
        header = [
            "# vbdt document search benchmark — "
            f"{datetime.datetime.now():%Y-%m-%d %H:%M}",
            "",
            f"- Machine: {info_machine['machine']}; load average at start "
            f"{load_start}, "
            f"at end {loadavg()} (the machine may be shared)",
            f"- PostgreSQL: {info_machine['postgres']}",
            f"- N = {info_machine['count']} documents; {info_machine['table']}",
            f"- {len(info['companies'])} agencies; users: clerk = clerk of "
            f"{info['companies'][0]['name']}, "
            f"admin = administrator with all {len(info['companies'])} agencies "
            "selected, "
            f"specialist = specialist of {info['companies'][2]['name']} (record "
            "rules apply to all three)",
            "- Indexes dropped for 'before' (all of vbdt_document but its primary "
            "key): " + ", ".join(name for name, _d in definitions),
        ]
        text = report(queries, before, after, args.budget, header)
        print()
        print(text)
        os.makedirs(OUT_DIR, exist_ok=True)
        stem = os.path.join(OUT_DIR, f"document_search_{info_machine['count']}")
        with open(stem + ".md", "w") as handle:
            handle.write(text + "\n")
        with open(stem + ".json", "w") as handle:
            json.dump(
                {
                    "header": header,
                    "before": {" | ".join(k): v for k, v in before.items()},
                    "after": {" | ".join(k): v for k, v in after.items()},
                },
                handle,
                indent=1,
                ensure_ascii=False,
            )
        log(
            f"report written to {os.path.relpath(stem, ROOT)}.md (.json); "
            f"total {time.perf_counter() - started:.0f} s"
        )
    finally:
        release_database(args.db, keep)


def release_database(db, keep):
    """Close Odoo's registry and connections on ``db``, then drop it unless
    it is kept (bench_reorg.py ends the same way)."""
    with contextlib.suppress(Exception):
        import odoo

        odoo.modules.registry.Registry.delete(db)
        odoo.sql_db.close_db(db)
    if keep:
        log(f"database {db} kept")
    else:
        drop_database(db)
        log(f"database {db} dropped")


if __name__ == "__main__":
    main()
