"""Word pairs: a condition a phrase query implies, that a GIN index answers.

A phrase (``"hồ sơ đất đai"``) is the tsquery ``'ho' <-> 'so' <-> 'dat' <->
'dai'``.  PostgreSQL's GIN index on the text vectors stores which texts hold
each word, not where: it returns every text holding the four words, and each
one's whole vector is read again to check their order.  When the words are
common and the phrase rare, that is most of the table (seconds at a million
texts, docs/MEASURES.md).

The index ``vbdt_capture_text_pairs_idx`` holds, for each text, every pair of
words at adjacent positions of its vector (``'ho so'``, ``'so dat'``,
``'dat dai'``), built by the SQL function :data:`PAIRS_FUNCTION`.  A text
matching ``'ho' <-> 'so'`` holds ``ho`` at some position p and ``so`` at p+1,
so its pairs hold ``'ho so'``: :func:`pairs_query` turns a tsquery into such
a necessary condition on the pairs, which the search adds to the match.  It
only narrows the texts to check, never decides a hit: the phrase itself is
still matched on the vector.  The pairs are read from the same stored vector
the phrase is checked against, so PostgreSQL's limits on positions (16,383,
and 256 per word) apply to both alike.

Plain Python: the models pass the text PostgreSQL prints for
``websearch_to_tsquery(...)`` and add the condition this module returns.
"""

import re

PAIRS_FUNCTION_NAME = "vbdt_capture_word_pairs_v1"
"""Versioned: an index over the function is only right while the function
is the one it was built with; a new definition takes a new name."""

PAIRS_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {PAIRS_FUNCTION_NAME}(tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)),
                    ''::tsvector)
      FROM (SELECT lexeme, unnest(positions) AS pos FROM unnest($1)) a
      JOIN (SELECT lexeme, unnest(positions) AS pos FROM unnest($1)) b
        ON b.pos = a.pos + 1
$$
"""
"""Every pair of lexemes at adjacent positions of a vector, as a vector of
``'first second'`` lexemes (a self-join, not ``lead()``: positions past
16,383 are all stored as 16,383, and each lexeme there pairs with the one
before)."""

_TOKEN = re.compile(
    r"\s*(?:'(?P<lexeme>(?:[^'\\]|''|\\.)*)'(?::(?P<flags>[*A-D]+))?"
    r"|(?P<distance><(?:-|\d+)>)|(?P<op>[&|!()]))"
)


class TsqueryParseError(ValueError):
    """The text is not a tsquery as PostgreSQL prints one."""


def _tokens(text):
    position, tokens = 0, []
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise TsqueryParseError(text[position : position + 20])
        position = match.end()
        if match.group("lexeme") is not None:
            lexeme = re.sub(r"''|\\(.)", _unescape, match.group("lexeme"))
            tokens.append(("lexeme", lexeme, bool(match.group("flags"))))
        elif match.group("distance"):
            distance = match.group("distance")[1:-1]
            tokens.append(("distance", 1 if distance == "-" else int(distance), None))
        else:
            tokens.append(("op", match.group("op"), None))
    return tokens


def _unescape(match):
    return "'" if match.group(0) == "''" else match.group(1)


def _quote(lexeme):
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


class _Parser:
    """Precedence as PostgreSQL's: ``!`` binds most tightly, then ``<N>``,
    then ``&``, then ``|``.  Each rule returns the condition on the pairs as
    tsquery text, or None for "no condition" (any text may match)."""

    def __init__(self, text):
        self.tokens = _tokens(text)
        self.index = 0

    def parse(self):
        condition = self._or()
        if self.index != len(self.tokens):
            raise TsqueryParseError("trailing tokens")
        return condition

    def _peek(self, kind, value=None):
        if self.index < len(self.tokens):
            token = self.tokens[self.index]
            if token[0] == kind and (value is None or token[1] == value):
                return token
        return None

    def _take(self, kind, value=None):
        token = self._peek(kind, value)
        if token is None:
            raise TsqueryParseError(f"expected {value or kind}")
        self.index += 1
        return token

    def _or(self):
        conditions = [self._and()]
        while self._peek("op", "|"):
            self.index += 1
            conditions.append(self._and())
        if len(conditions) == 1:
            return conditions[0]
        # Each branch must imply the condition, or nothing is implied.
        if any(condition is None for condition in conditions):
            return None
        return "( " + " | ".join(conditions) + " )"

    def _and(self):
        conditions = [self._phrase()]
        while self._peek("op", "&"):
            self.index += 1
            conditions.append(self._phrase())
        kept = [condition for condition in conditions if condition]
        return " & ".join(kept) if kept else None

    def _phrase(self):
        operands = [self._unary()]
        distances = []
        while self._peek("distance"):
            distances.append(self._take("distance")[1])
            operands.append(self._unary())
        conditions = [condition for _lexeme, condition in operands if condition]
        for (left, _c1), distance, (right, _c2) in zip(
            operands, distances, operands[1:], strict=False
        ):
            # Only two plain words one position apart make a pair.
            if distance == 1 and left is not None and right is not None:
                conditions.append(_quote(f"{left} {right}"))
        return " & ".join(conditions) if conditions else None

    def _unary(self):
        """(the plain word, or None; the condition inside, or None)."""
        if self._peek("op", "!"):
            self.index += 1
            self._unary()
            return None, None
        if self._peek("op", "("):
            self.index += 1
            condition = self._or()
            self._take("op", ")")
            return None, condition
        _kind, lexeme, has_flags = self._take("lexeme")
        # A prefix (:*) or weight-restricted word is no plain word.
        return (None if has_flags else lexeme), None


def pairs_query(tsquery_text):
    """The tsquery over word pairs that ``tsquery_text`` implies, or None
    when it implies none (no phrase, a phrase under NOT, an OR branch
    without one) or is not a tsquery as PostgreSQL prints it."""
    if not tsquery_text or not tsquery_text.strip():
        return None
    try:
        return _Parser(tsquery_text).parse()
    except TsqueryParseError:
        return None
