"""The text of a document file, its extraction job and full-text search.

Rows are made and filled by the server only (upload hook, backfill, cron):
users read them under rules as strict as the file's
(``security/vbdt_capture_rules.xml``).  The search vector is a generated
column over the text with the ``vbdt_capture_vi`` configuration (``simple``
words, accents removed by ``unaccent``), so "quyet dinh" finds "Quyết định"
and ``ts_headline`` marks the words in the original, accented text.
"""

import base64
import logging

import psycopg2
from markupsafe import escape

from odoo import api, fields, models
from odoo.tools import SQL, str2bool

from ..capture import (
    CaptureError,
    CaptureLimits,
    convert_scan_to_pdfa,
    extract_pdf_text,
)
from ..capture.phrase import PAIRS_FUNCTION, PAIRS_FUNCTION_NAME, pairs_query

_logger = logging.getLogger(__name__)

TS_CONFIG = "vbdt_capture_vi"
EXTRACT_BATCH = 5
"""Files the cron extracts per run (it runs again at once while files wait)."""
BACKFILL_BATCH = 500
"""Stored files queued per run by the backfill."""
MAX_QUERY_CHARS = 200
MAX_RESULTS = 200
MAX_RANKED = 500
"""Matches ranked per search: the newest readable ones. Ranking reads each
match's whole vector; a common word matches most files, and ranking them all
costs seconds (bench/bench_fulltext.py)."""
PAIRS_STATISTICS = 1000
"""Statistics target of the word-pair index (10 × as many common pairs kept)."""
CANDIDATE_CAP = 1000
"""Matches taken per search, newest first, in the user's agencies, before
the access rules are applied to them: the rules then cost one primary-key
probe per candidate instead of a scan of every readable document and text
(bench/bench_fulltext.py, docs/MEASURES.md: the 1,000,000-document figures).
A word so common that the user may read fewer than ``limit`` of its newest
``CANDIDATE_CAP`` matches shows the readable ones among them."""


def _marked(snippet):
    """The headline as HTML: the text escaped, the matched words in <mark>
    (ts_headline marks them with brackets that HTML escaping leaves alone)."""
    return str(escape(snippet or "")).replace("⟦", "<mark>").replace("⟧", "</mark>")


class VbdtCaptureText(models.Model):
    _name = "vbdt.capture.text"
    _description = "Document File Text"
    _order = "id desc"
    _rec_name = "file_id"

    file_id = fields.Many2one(
        "vbdt.document.file", required=True, ondelete="cascade", readonly=True
    )
    document_id = fields.Many2one(related="file_id.document_id", store=True, index=True)
    company_id = fields.Many2one(related="file_id.company_id", store=True, index=True)
    # Stored for the read rule: a rule on document_id.confidentiality is a
    # subquery over every normal document, which the search would have to
    # evaluate whole (CANDIDATE_CAP: rules are applied to the candidates).
    confidentiality = fields.Selection(
        related="document_id.confidentiality", store=True
    )
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("unsupported", "Not a PDF"),
        ],
        default="queued",
        required=True,
        readonly=True,
        index=True,
    )
    content = fields.Text(readonly=True)
    has_text = fields.Boolean(
        compute="_compute_has_text",
        store=True,
        help="Words were read from the file (a blank page or an unread scan "
        "has none): the dashboard's digitisation share counts these.",
    )
    page_count = fields.Integer(readonly=True)
    ocr_page_count = fields.Integer(string="Pages Read by OCR", readonly=True)
    failed_pages = fields.Char(readonly=True)
    error = fields.Char(readonly=True)
    duration = fields.Float(string="Seconds", readonly=True, digits=(10, 1))
    extracted_on = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("file_unique", "unique(file_id)", "A file has one text."),
    ]

    @api.depends("content")
    def _compute_has_text(self):
        for text in self:
            text.has_text = bool(text.content and text.content.strip())

    def init(self):
        cr = self.env.cr
        self._ensure_text_search_config(cr)
        cr.execute(
            SQL(
                "ALTER TABLE vbdt_capture_text ADD COLUMN IF NOT EXISTS content_tsv "
                "tsvector GENERATED ALWAYS AS "
                "(to_tsvector(%s::regconfig, coalesce(content, ''))) STORED",
                TS_CONFIG,
            )
        )
        cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS vbdt_capture_text_tsv_idx "
                "ON vbdt_capture_text USING gin (content_tsv)"
            )
        )
        # Phrases: the pairs of adjacent words of each text (capture/phrase.py).
        # The function is the project's own constant, never user input.
        cr.execute(SQL(PAIRS_FUNCTION))
        cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS vbdt_capture_text_pairs_idx "
                "ON vbdt_capture_text USING gin (%s(content_tsv))",
                SQL.identifier(PAIRS_FUNCTION_NAME),
            )
        )
        # The search asks the planner how many texts hold a phrase's pairs
        # (_vbdt_fulltext_matches): the statistics keep the 10,000 most common
        # pairs, not 1,000, so that a common pair is not mistaken for a rare one.
        cr.execute(
            SQL(
                "ALTER INDEX vbdt_capture_text_pairs_idx "
                "ALTER COLUMN 1 SET STATISTICS %s",
                PAIRS_STATISTICS,
            )
        )
        # The newest matches of one agency first (CANDIDATE_CAP).
        cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS vbdt_capture_text_company_id_idx "
                "ON vbdt_capture_text (company_id, id)"
            )
        )

    @staticmethod
    def _ensure_text_search_config(cr):
        """``vbdt_capture_vi``: the ``simple`` parser and dictionary (no
        stemming: Vietnamese words are syllables) after ``unaccent``.
        ``unaccent`` is a trusted extension: the database owner creates it.
        Without it the configuration is plain ``simple`` (accent-sensitive)."""
        cr.execute(SQL("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", TS_CONFIG))
        if cr.fetchone():
            return
        try:
            with cr.savepoint(flush=False):
                cr.execute(SQL("CREATE EXTENSION IF NOT EXISTS unaccent"))
            unaccent = True
        except psycopg2.Error:
            _logger.warning(
                "unaccent is not available: full-text search keeps accents."
            )
            unaccent = False
        cr.execute(
            SQL("CREATE TEXT SEARCH CONFIGURATION vbdt_capture_vi (COPY = simple)")
        )
        if unaccent:
            cr.execute(
                SQL(
                    "ALTER TEXT SEARCH CONFIGURATION vbdt_capture_vi ALTER MAPPING "
                    "FOR hword, hword_part, word WITH unaccent, simple"
                )
            )

    # ------------------------------------------------------------ queueing
    @api.model
    def _vbdt_queue(self, files):
        """Queue the text extraction of ``files`` (those without a text yet)
        and wake the cron: the web request only writes a row."""
        if not files:
            return self.browse()
        # sudo: texts are written by the server only (no user has create
        # rights); the rows hold no content yet and nothing is returned.
        Texts = self.sudo()
        known = set(Texts.search([("file_id", "in", files.ids)]).file_id.ids)
        texts = Texts.create([{"file_id": f.id} for f in files if f.id not in known])
        if texts:
            # sudo: triggering the extraction job is a server task users have no right
            # to
            self.env.ref("vbdt_capture.vbdt_capture_cron_extract").sudo()._trigger()
        return texts

    @api.model
    def _vbdt_backfill(self, batch_size=BACKFILL_BATCH):
        """Queue one batch of stored files that have no text yet; the number queued."""
        # sudo: the job covers every agency's files; nothing is returned.
        self.env.cr.execute(
            SQL(
                "SELECT f.id FROM vbdt_document_file f "
                "LEFT JOIN vbdt_capture_text t ON t.file_id = f.id "
                "WHERE t.id IS NULL ORDER BY f.id LIMIT %s",
                batch_size,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        # sudo: the backfill job queues files of every agency
        files = self.env["vbdt.document.file"].sudo().browse(ids)
        # sudo: the backfill job creates the text rows, which no user creates
        return len(self.sudo()._vbdt_queue(files))

    # ------------------------------------------------------------ extraction
    @api.model
    def _cron_extract(self, batch_size=EXTRACT_BATCH):
        """Queue a backfill batch, then extract one batch of queued files
        (oldest first; rows locked by another worker are skipped)."""
        queued = self._vbdt_backfill()
        # the raw SELECT below must see states written through the ORM and not
        # yet flushed (a row set aside in this transaction is not picked)
        self.flush_model(["state"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM vbdt_capture_text WHERE state = 'queued' "
                "ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                batch_size,
            )
        )
        # sudo: the job reads every agency's files and stores their text.
        texts = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        for text in texts:
            text._vbdt_extract()
        # sudo: counting the queue for the job's progress; only a number
        remaining = self.sudo().search_count([("state", "=", "queued")])
        self.env["ir.cron"]._notify_progress(done=len(texts), remaining=remaining)
        return queued, texts

    def _vbdt_limits(self):
        # sudo: the limits are system parameters; only their values are used
        get = self.env["ir.config_parameter"].sudo().get_param
        return CaptureLimits(
            max_pages=int(get("vbdt_capture.max_pages", 200)),
            page_seconds=int(get("vbdt_capture.page_seconds", 60)),
            file_seconds=int(get("vbdt_capture.file_seconds", 900)),
        )

    def _vbdt_extract(self):
        """Extract this row's file; its bytes are read, never rewritten
        (a signed PDF stays byte for byte what was signed), except an
        unsigned scan of a draft converted to PDF/A-2b when the agency
        asked for it (:meth:`_vbdt_scan_to_pdfa`)."""
        self.ensure_one()
        file = self.file_id
        started = fields.Datetime.now()
        vals = {"extracted_on": started, "error": False}
        if file.mimetype != "application/pdf":
            self.write({**vals, "state": "unsupported"})
            return
        try:
            raw = file._get_raw()
            result = extract_pdf_text(raw, self._vbdt_limits())
        except CaptureError as exc:
            self.write({**vals, "state": "failed", "error": self._vbdt_error_text(exc)})
            return
        except Exception as exc:  # noqa: BLE001  a bad file must not stop the queue
            _logger.exception("vbdt.capture.text %s: extraction failed", self.id)
            self.write({**vals, "state": "failed", "error": str(exc)[:250]})
            return
        self.write(
            {
                **vals,
                "state": "done",
                "content": result.text.replace("\x00", ""),
                "page_count": len(result.pages),
                "ocr_page_count": result.ocr_pages,
                "failed_pages": ", ".join(map(str, result.failed_pages)) or False,
                "duration": sum(page.seconds for page in result.pages),
            }
        )
        self._vbdt_scan_to_pdfa(file, raw, result)

    def _vbdt_scan_to_pdfa(self, file, raw, result):
        """Replace a scan by its PDF/A-2b (ocrmypdf) when the system parameter
        ``vbdt_capture.scan_to_pdfa`` is on, and only for a PDF that was read
        by OCR, is not PDF/A yet, belongs to a document still in drafting (not
        evidence) and carries no signature: a signed PDF is never converted,
        its signatures must survive. True when the file was converted."""
        # sudo: the switch is a system parameter; only its value is used
        enabled = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("vbdt_capture.scan_to_pdfa", "False")
        )
        if (
            not str2bool(enabled, False)
            or not result.ocr_pages
            or file.pdfa_level
            or file._vbdt_is_evidence()
        ):
            return False
        try:
            converted = convert_scan_to_pdfa(raw, self._vbdt_limits())
        except CaptureError as exc:
            # "signed": never converted; other codes: the scan stays as it is
            _logger.info("vbdt.document.file %s not converted: %s", file.id, exc.code)
            return False
        except Exception:  # noqa: BLE001  a bad file must not stop the queue
            _logger.exception("vbdt.document.file %s: PDF/A conversion", file.id)
            return False
        file._vbdt_write_content({"datas": base64.b64encode(converted)})
        return True

    def _vbdt_error_text(self, exc):
        messages = {
            "not_pdf": self.env._("The file is not a readable PDF."),
            "too_many_pages": self.env._(
                "The file has %(pages)s pages, more than the limit.", pages=exc.detail
            ),
            "timeout": self.env._("Reading the file took longer than allowed."),
            "missing_tool": self.env._(
                "The text tools (poppler-utils, tesseract-ocr-vie) are not "
                "installed on the server."
            ),
            "tool_failed": self.env._("The file could not be read."),
        }
        return messages.get(exc.code, exc.code)

    def action_retry(self):
        """Queue a failed extraction again (administrators)."""
        if not self.env.user.has_group("vbdt_document.vbdt_document_group_manager"):
            return False
        # sudo: the administrator may re-queue; the rows were read under
        # their rules (self) and only the state changes.
        self.sudo().filtered(lambda t: t.state == "failed").write({"state": "queued"})
        self.env.ref("vbdt_capture.vbdt_capture_cron_extract").sudo()._trigger()
        return True

    # ------------------------------------------------------------ search
    @api.model
    def _vbdt_fulltext_matches(self, query, companies):
        """SQL of the newest ``CANDIDATE_CAP`` texts of ``companies`` that
        match ``query`` (ids and documents), found the cheaper of two ways.

        Walking the texts newest first (an index on ``(company_id, id)``)
        checks each text until enough match: few texts for a common match,
        every text for a rare one. A phrase's pairs of adjacent words
        (capture/phrase.py) name through their index the only texts that can
        hold it: cheap for a rare phrase, as many texts as hold the pairs for a
        common one. Both read about one text per text considered; the planner's
        estimates tell which considers fewer: the pairs' texts, or the
        ``CANDIDATE_CAP`` × all / pairs' texts the walk would pass."""
        tsquery = SQL("websearch_to_tsquery(%s::regconfig, %s)", TS_CONFIG, query)
        scope = SQL("t.company_id IN %s", companies)
        self.env.cr.execute(SQL("SELECT %s::text", tsquery))
        pairs = self._vbdt_valid_tsquery(pairs_query(self.env.cr.fetchone()[0]))
        if pairs:
            paired = SQL(
                "%s(t.content_tsv) @@ %s::tsquery",
                SQL.identifier(PAIRS_FUNCTION_NAME),
                pairs,
            )
            holding = self._vbdt_estimated_texts(SQL("%s AND %s", paired, scope))
            if holding * holding < CANDIDATE_CAP * self._vbdt_estimated_texts(scope):
                # "id + 0": never a walk of the index on id, which would
                # compute the pairs of every text it passes; the word order
                # is then checked on the newest texts holding the pairs only.
                return SQL(
                    """SELECT t.id, t.document_id
                         FROM (SELECT t.id FROM vbdt_capture_text t
                                WHERE %(paired)s AND %(scope)s
                                ORDER BY t.id + 0 DESC LIMIT %(cap)s) p
                         JOIN vbdt_capture_text t ON t.id = p.id
                        WHERE t.content_tsv @@ %(tsquery)s""",
                    paired=paired,
                    scope=scope,
                    cap=CANDIDATE_CAP,
                    tsquery=tsquery,
                )
        # The query is a literal here (not the CTE's value): the planner then
        # knows how common the words are, and walks the newest rows of an
        # index for a common word instead of reading every match.
        return SQL(
            """SELECT t.id, t.document_id FROM vbdt_capture_text t
                WHERE t.content_tsv @@ %s AND %s
                ORDER BY t.id DESC LIMIT %s""",
            tsquery,
            scope,
            CANDIDATE_CAP,
        )

    def _vbdt_valid_tsquery(self, text):
        """``text`` if PostgreSQL reads it as a tsquery, else None: the pairs
        only ever narrow a search, a query they cannot express must still be
        answered (by the walk), never fail."""
        if not text:
            return None
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(SQL("SELECT %s::tsquery", text))
        except psycopg2.Error:
            _logger.warning("full-text search: word pairs not usable: %r", text)
            return None
        return text

    def _vbdt_estimated_texts(self, condition):
        """The planner's estimate of the texts meeting ``condition``."""
        self.env.cr.execute(
            SQL(
                "EXPLAIN (FORMAT JSON) SELECT 1 FROM vbdt_capture_text t WHERE %s",
                condition,
            )
        )
        return self.env.cr.fetchone()[0][0]["Plan"]["Plan Rows"]

    @api.model
    def vbdt_search_fulltext(self, query, limit=80):
        """Documents whose files contain ``query`` (web-search syntax: words,
        "a phrase", -word, or), best first: a list of dicts with the
        document, its rank and a snippet with the words marked.

        The candidates are the newest ``CANDIDATE_CAP`` matches in the
        user's agencies (:meth:`_vbdt_fulltext_matches`); of those, the rows
        the user may read (this model's rules, which are the file's, and the
        document's) are kept; rank and snippet
        are computed for those rows only: the rank for the newest
        ``MAX_RANKED`` readable matches, the snippet for the ``limit`` best."""
        query = (query or "").strip()[:MAX_QUERY_CHARS]
        if not query:
            return []
        limit = max(1, min(int(limit or 80), MAX_RESULTS))
        # The text and the rules' fields may still be in the ORM cache.
        self.env.flush_all()
        readable = self._search([("state", "=", "done")])
        documents = self.env["vbdt.document"]._search([])
        # The agencies of the texts' company rule (a superset is harmless:
        # the rules themselves are applied to the candidates).
        companies = tuple(self.env.companies.ids) or (0,)
        self.env.cr.execute(
            SQL(
                """
                WITH q AS (
                    SELECT websearch_to_tsquery(%(config)s::regconfig, %(query)s) AS q
                ),
                matched AS MATERIALIZED (%(matched)s),
                candidates AS (
                    SELECT m.id
                      FROM matched m
                     WHERE m.id IN (%(readable)s)
                       AND m.document_id IN (%(documents)s)
                     ORDER BY m.id DESC
                     LIMIT %(ranked)s
                ),
                hits AS (
                    SELECT t.id, t.document_id, ts_rank_cd(t.content_tsv, q.q) AS rank
                      FROM candidates c JOIN vbdt_capture_text t ON t.id = c.id, q
                     ORDER BY rank DESC, t.id DESC
                     LIMIT %(limit)s
                )
                SELECT hits.document_id, hits.id, hits.rank,
                       ts_headline(%(config)s::regconfig, t.content, q.q,
                                   'StartSel=⟦, StopSel=⟧, MaxWords=30, '
                                   'MinWords=10, MaxFragments=2, FragmentDelimiter= … ')
                  FROM hits JOIN vbdt_capture_text t ON t.id = hits.id, q
                 ORDER BY hits.rank DESC, hits.id DESC
                """,
                config=TS_CONFIG,
                query=query,
                matched=self._vbdt_fulltext_matches(query, companies),
                readable=readable.subselect(),
                documents=documents.subselect(),
                limit=limit,
                ranked=MAX_RANKED,
            )
        )
        results, seen = [], set()
        for document_id, text_id, rank, snippet in self.env.cr.fetchall():
            if document_id in seen:
                continue
            seen.add(document_id)
            results.append(
                {
                    "document_id": document_id,
                    "text_id": text_id,
                    "rank": rank,
                    "snippet": _marked(snippet),
                }
            )
        return results
