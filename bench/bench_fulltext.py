#!/usr/bin/env python3
"""Benchmark: vbdt_capture's full-text search next to the metadata search.

On a throw-away database ``vbdt_bench_fulltext`` of the project cluster
(scripts/lib.sh), in plain SQL (the statements the models run, not the ORM):

- ``docs``: N documents of 25 agencies with the folded ``search_text`` of
  vbdt_document and its trigram index (the metadata search, baseline);
- ``texts``: one file text per document, ``--words`` Vietnamese words of
  generated content (default 300 ≈ a two-page letter), the generated
  ``content_tsv`` column over the ``vbdt_capture_vi`` configuration
  (``simple`` + ``unaccent``) and its GIN index, as ``vbdt.capture.text``.

Times, median and p95 of ``--repeat`` runs, for a clerk (one agency, normal
documents + secret ones they read) and the province administrator (every
agency): the metadata ``LIKE '%folded%'`` page of 80, the full-text query
of ``vbdt_search_fulltext`` before issue 17 (match under the access scope,
rank the 1,000 newest matches, headline of the 80 best only) and the capped
one it runs now (``capped_sql``). Prints the index sizes per million
documents. Figures: docs/MEASURES.md.

Usage: .venv/bin/python bench/bench_fulltext.py [--documents 200000]
       [--words 300] [--repeat 7] [--keep] [--reuse] [--capped-only]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

import psycopg2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "addons", "vbdt_document"))
sys.path.insert(0, os.path.join(ROOT, "addons", "vbdt_capture"))
from capture.phrase import (  # noqa: E402  (the addons' plain-Python cores)
    PAIRS_FUNCTION,
    PAIRS_FUNCTION_NAME,
    pairs_query,
)

DB = os.environ.get("VBDT_BENCH_DB", "vbdt_bench_fulltext")
WORDS = (
    "quyết định kế hoạch công văn báo cáo thông báo ủy ban nhân dân tỉnh phú thọ "
    "sở tài chính nội vụ y tế giáo dục đào tạo xây dựng xã phường việt trì vĩnh yên "
    "hòa bình tam đảo triển khai thực hiện chuyển đổi số cơ quan hành chính năm "
    "kiểm tra công tác văn thư lưu trữ phân bổ kinh phí sửa chữa trường học bão "
    "tiếp công dân định kỳ quý rà soát hồ sơ đất đai địa bàn sắp xếp đơn vị "
    "phòng chống dịch sốt xuất huyết đánh giá xếp loại chất lượng cán bộ công chức "
    "dự toán ngân sách đề nghị khẩn trương tổng hợp số liệu gửi văn phòng trước "
    "ngày tháng cấp có thẩm quyền chỉ đạo nâng cao hiệu quả quản lý điện tử"
).split()
QUERIES = (
    ("one word", "ngân sách"),
    ("accentless words", "chuyen doi so"),
    ("phrase", '"hồ sơ đất đai"'),
    ("short phrase", '"ngân sách"'),
    ("phrase or phrase", '"hồ sơ đất đai" or "tam đảo"'),
    ("rare word", "bão"),
)
# As vbdt_capture/models/vbdt_capture_text.py.
CANDIDATE_CAP = 1000
MAX_RANKED = 500
CLERK_SQL = "company_id = 1 AND (confidentiality = 'normal' OR id %% 1000 = 7)"
ADMIN_SQL = "confidentiality = 'normal'"
# The texts' own agency rule (company_id in company_ids), as vbdt.capture.text
# applies it; the administrator of the province sees every agency.
CLERK_TEXT_SQL = "t.company_id = 1"
ADMIN_TEXT_SQL = "true"


def psql(sql, db="postgres"):
    subprocess.run(
        [
            "bash",
            "-c",
            f'source "{ROOT}/scripts/lib.sh" >/dev/null && ensure_pg >/dev/null '
            f'&& psql -U postgres -d {db} -qc "$0"',
            sql,
        ],
        check=True,
    )


def connect():
    socket = os.path.join(
        os.environ.get("VBDT_PGDIR", os.path.join(ROOT, ".pgdata")), "run"
    )
    return psycopg2.connect(
        dbname=DB,
        user="postgres",
        host=socket,
        port=int(os.environ.get("VBDT_PGPORT", "54329")),
    )


def load(cr, documents, words):
    cr.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    cr.execute("CREATE TEXT SEARCH CONFIGURATION vbdt_capture_vi (COPY = simple)")
    cr.execute(
        "ALTER TEXT SEARCH CONFIGURATION vbdt_capture_vi ALTER MAPPING "
        "FOR hword, hword_part, word WITH unaccent, simple"
    )
    cr.execute(
        "CREATE TABLE docs (id int PRIMARY KEY, company_id int, "
        "confidentiality text, search_text text)"
    )
    cr.execute(
        "CREATE TABLE texts (id int PRIMARY KEY, document_id int, company_id int, "
        "content text, content_tsv tsvector GENERATED ALWAYS AS "
        "(to_tsvector('vbdt_capture_vi'::regconfig, coalesce(content, ''))) STORED)"
    )
    cr.execute(
        "CREATE TEMP TABLE vocab AS SELECT unnest(%s::text[]) AS w", (list(WORDS),)
    )
    started = time.perf_counter()
    cr.execute(
        """
        INSERT INTO docs
        SELECT g, 1 + (g %% 25), CASE WHEN g %% 97 = 0 THEN 'secret' ELSE 'normal' END,
               lower(unaccent(
                   (SELECT string_agg(w, ' ') FROM (SELECT w FROM vocab
                     ORDER BY random() + g * 0 LIMIT 12) s)))
          FROM generate_series(1, %s) g
        """,
        (documents,),
    )
    cr.execute(
        """
        INSERT INTO texts (id, document_id, company_id, content)
        SELECT id, id, company_id,
               (SELECT string_agg((%s::text[])[1 + floor(random() * %s)::int], ' ')
                  FROM generate_series(1, %s + id * 0))
          FROM docs
        """,
        (list(WORDS), len(WORDS), words),
    )
    load_s = time.perf_counter() - started
    cr.execute("CREATE INDEX docs_trgm ON docs USING gin (search_text gin_trgm_ops)")
    started = time.perf_counter()
    cr.execute("CREATE INDEX texts_tsv ON texts USING gin (content_tsv)")
    index_s = time.perf_counter() - started
    cr.execute("CREATE INDEX texts_doc ON texts (document_id)")
    cr.execute("CREATE INDEX texts_company ON texts (company_id, id)")
    cr.execute("ANALYZE docs; ANALYZE texts")
    return load_s, index_s


def metadata_sql(scope):
    return (
        f"SELECT id FROM docs WHERE {scope} AND search_text LIKE %s "
        "ORDER BY id DESC LIMIT 80"
    )


RANKED_HITS = """
        hits AS (
            SELECT t.id, t.document_id, ts_rank_cd(t.content_tsv, q.q) AS rank
              FROM candidates c JOIN texts t ON t.id = c.id, q
             ORDER BY rank DESC, t.id DESC LIMIT 80)
        SELECT hits.document_id, hits.rank,
               ts_headline('vbdt_capture_vi'::regconfig, t.content, q.q,
                           'MaxWords=30, MinWords=10, MaxFragments=2')
          FROM hits JOIN texts t ON t.id = hits.id, q
         ORDER BY hits.rank DESC"""
"""Both searches end alike: the 80 best of their candidates, with a snippet."""


def fulltext_sql(scope, text_scope):
    return f"""
        WITH q AS (SELECT websearch_to_tsquery('vbdt_capture_vi'::regconfig, %s) AS q),
        candidates AS (
            SELECT t.id FROM texts t, q
             WHERE t.content_tsv @@ q.q AND {text_scope}
               AND t.document_id IN (SELECT id FROM docs WHERE {scope})
             ORDER BY t.id DESC LIMIT 1000),
{RANKED_HITS}"""


def capped_sql(scope, text_scope, cap=None, ranked=None, matched=None):
    """vbdt_search_fulltext since issue 17: the newest ``CANDIDATE_CAP``
    matches in the agency scope of the texts (an index on (company_id, id)
    walks them newest first), then the document rules on those candidates
    only (one primary-key probe each, never a scan of every readable
    document), then the rank of the ``MAX_RANKED`` newest readable ones.
    The query is a literal in the match (not only in the CTE ``q``): the
    planner then knows how common the words are and walks the newest rows
    of the index for a common word instead of reading every match.

    The rules have the shape of the shared side-table rule
    (``vbdt_document_read_domain``): the text is kept if its id is among the
    texts of the user's agencies whose document is readable, and its document
    is readable. ``matched`` replaces the walk (see :func:`matched_sql`)."""
    cap = cap or CANDIDATE_CAP
    ranked = ranked or MAX_RANKED
    matched = (
        matched
        or f"""
            SELECT t.id, t.document_id FROM texts t
             WHERE t.content_tsv
                   @@ websearch_to_tsquery('vbdt_capture_vi'::regconfig, %s)
               AND {text_scope}
             ORDER BY t.id DESC LIMIT {cap}"""
    )
    return f"""
        WITH q AS (SELECT websearch_to_tsquery('vbdt_capture_vi'::regconfig, %s) AS q),
        matched AS MATERIALIZED ({matched}),
        candidates AS (
            SELECT m.id FROM matched m
             WHERE m.id IN (SELECT t.id FROM texts t WHERE {text_scope}
                              AND t.document_id IN (SELECT id FROM docs WHERE {scope}))
               AND m.document_id IN (SELECT id FROM docs WHERE {scope})
             ORDER BY m.id DESC LIMIT {ranked}),
{RANKED_HITS}"""


def estimated(cr, condition):
    """The planner's estimate of the texts meeting ``condition``."""
    cr.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM texts t WHERE {condition}")
    return cr.fetchone()[0][0]["Plan"]["Plan Rows"]


def matched_sql(cr, text_scope, query, cap=None):
    """As ``_vbdt_fulltext_matches`` of the model: the texts holding the
    phrase's word pairs, newest first, then their word order checked, when
    the planner estimates that they are fewer than the texts the walk would
    pass; else None (the walk). Returns (sql or None, the way taken)."""
    cap = cap or CANDIDATE_CAP
    cr.execute(
        "SELECT websearch_to_tsquery('vbdt_capture_vi'::regconfig, %s)::text", (query,)
    )
    pairs = pairs_query(cr.fetchone()[0])
    if not pairs:
        return None, "words"
    literal = cr.mogrify("%s", (pairs,)).decode()
    paired = f"{PAIRS_FUNCTION_NAME}(t.content_tsv) @@ {literal}::tsquery"
    holding = estimated(cr, f"{paired} AND {text_scope}")
    if holding * holding >= cap * estimated(cr, text_scope):
        return None, f"walk (~{holding:,.0f} hold the pairs)"
    return (
        f"""
            SELECT t.id, t.document_id
              FROM (SELECT t.id FROM texts t WHERE {paired} AND {text_scope}
                     ORDER BY t.id + 0 DESC LIMIT {cap}) p
              JOIN texts t ON t.id = p.id
             WHERE t.content_tsv
                   @@ websearch_to_tsquery('vbdt_capture_vi'::regconfig, %s)""",
        f"pairs (~{holding:,.0f} hold them)",
    )


def build_pairs_index(cr):
    """The word-pair function and index of vbdt.capture.text.init(), with its
    statistics target; the seconds it took to build the index (0 when it was
    there)."""
    cr.execute(PAIRS_FUNCTION)
    cr.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'texts_pairs'")
    built = 0.0
    if not cr.fetchone():
        started = time.perf_counter()
        cr.execute(
            "CREATE INDEX texts_pairs ON texts "
            f"USING gin ({PAIRS_FUNCTION_NAME}(content_tsv))"
        )
        built = time.perf_counter() - started
    cr.execute("ALTER INDEX texts_pairs ALTER COLUMN 1 SET STATISTICS 1000")
    return built


def timed(cr, sql, param, repeat, prepare=None):
    """Median and p95 ms of ``repeat`` runs, rows returned; ``prepare(cr)``
    (timed with the query) gives the SQL when it depends on the planner's
    estimates."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        if prepare:
            sql = prepare(cr)
        cr.execute(sql, (param,) * sql.count("%s"))
        rows = cr.fetchall()
        runs.append((time.perf_counter() - started) * 1000)
    runs.sort()
    p95 = runs[min(len(runs) - 1, round(0.95 * (len(runs) - 1)))]
    return statistics.median(runs), p95, len(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="time a kept database")
    parser.add_argument("--cap", type=int, help="candidates (CANDIDATE_CAP)")
    parser.add_argument("--ranked", type=int, help="ranked (MAX_RANKED)")
    parser.add_argument(
        "--capped-only",
        action="store_true",
        help="time only the metadata and the capped full-text search",
    )
    args = parser.parse_args()
    from notation import fold_text

    print(f"load average before: {os.getloadavg()}  cpus: {os.cpu_count()}")
    if not args.reuse:
        psql(f"DROP DATABASE IF EXISTS {DB}")
        psql(f"CREATE DATABASE {DB} TEMPLATE template0 ENCODING 'UTF8'")
    connection = connect()
    connection.autocommit = True
    try:
        cr = connection.cursor()
        load_s = index_s = 0.0
        if not args.reuse:
            load_s, index_s = load(cr, args.documents, args.words)
        # The indexes vbdt.capture.text.init() creates (kept databases of
        # older runs may lack them).
        cr.execute(
            "CREATE INDEX IF NOT EXISTS texts_company_id ON texts (company_id, id)"
        )
        pairs_s = build_pairs_index(cr)
        cr.execute("ANALYZE texts")
        cr.execute(
            "SELECT pg_relation_size('texts_tsv'), pg_relation_size('texts_pairs'), "
            "pg_relation_size('docs_trgm'), pg_total_relation_size('texts')"
        )
        tsv_bytes, pairs_bytes, trgm_bytes, texts_bytes = cr.fetchone()
        per_million = 1_000_000 / args.documents / 2**20
        print(
            f"{args.documents} documents, {args.words} words of text each: loaded in "
            f"{load_s:.0f} s, GIN built in {index_s:.0f} s, word-pair GIN in "
            f"{pairs_s:.0f} s (0: it was there)"
        )
        print(
            "GIN full-text index: "
            f"{tsv_bytes * per_million:,.0f} MiB per million documents; word pairs: "
            f"{pairs_bytes * per_million:,.0f} MiB"
            f" (texts table with its indexes: {texts_bytes * per_million:,.0f} MiB;"
            f" metadata trigram index: {trgm_bytes * per_million:,.0f} MiB)"
        )
        print(
            f"\n{'user':<8} {'query':<18} {'metadata ms (med/p95, rows)':>30} "
            f"{'full-text before ms (med/p95, rows)':>36}"
            f"{'capped, no pairs ms (med/p95, rows)':>38}"
            f"{'capped + pairs ms (med/p95, rows)':>38}"
        )
        for user, scope, text_scope in (
            ("clerk", CLERK_SQL, CLERK_TEXT_SQL),
            ("admin", ADMIN_SQL, ADMIN_TEXT_SQL),
        ):
            for label, query in QUERIES:
                folded = "%" + fold_text(query.strip('"')) + "%"
                meta = timed(cr, metadata_sql(scope), folded, args.repeat)
                full = (
                    timed(cr, fulltext_sql(scope, text_scope), query, args.repeat)
                    if not args.capped_only
                    else (0.0, 0.0, 0)
                )
                capped = timed(
                    cr,
                    capped_sql(scope, text_scope, args.cap, args.ranked),
                    query,
                    args.repeat,
                )
                ways = []

                def prepare(
                    cr, scope=scope, text_scope=text_scope, query=query, ways=ways
                ):
                    matched, way = matched_sql(cr, text_scope, query, args.cap)
                    ways.append(way)
                    return capped_sql(scope, text_scope, args.cap, args.ranked, matched)

                with_pairs = timed(cr, None, query, args.repeat, prepare)
                if with_pairs[2] != capped[2]:
                    print(f"!! the word pairs changed the rows of {query!r}")
                print(
                    f"{user:<8} {label:<18} "
                    f"{meta[0]:>12.1f} / {meta[1]:>7.1f} ({meta[2]:>3})"
                    f"  {full[0]:>16.1f} / {full[1]:>7.1f} ({full[2]:>3})"
                    f"  {capped[0]:>18.1f} / {capped[1]:>7.1f} ({capped[2]:>3})"
                    f"  {with_pairs[0]:>18.1f} / {with_pairs[1]:>7.1f}"
                    f" ({with_pairs[2]:>3})  {ways[-1]}"
                )
    finally:
        connection.close()
        if not args.keep:
            psql(f"DROP DATABASE IF EXISTS {DB}")
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
