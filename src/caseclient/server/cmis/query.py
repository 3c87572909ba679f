"""The part of the CMIS 1.1 query language (CMIS QL, spec 2.1.14) the simulator answers.

`SELECT * | <properties> FROM <type> [WHERE <condition>] [ORDER BY <property> [ASC|DESC], ...]`
with AND, OR, NOT and parentheses; comparisons `= <> < > <= >=` with string (quotes escaped by a
backslash: `\\'`), number, boolean and `TIMESTAMP '...'` literals; `[NOT] LIKE` (`%`, `_`,
`\\%`, `\\_`); `[NOT] IN (...)`; `IS [NOT] NULL`; `'v' = ANY <multi-valued property>` and
`ANY <property> [NOT] IN (...)`; `IN_FOLDER('<id>')`, `IN_TREE('<id>')` and `CONTAINS('<words>')`
(which this repository answers as a words-in-text test over the object's string properties).
Anything else is `invalidArgument`, as a repository answers a statement it cannot parse.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .errors import CmisError

Row = dict[str, Any]  # property id -> value (a list for a multi-valued property)
Test = Callable[[Row, "Scope"], bool]

_TOKEN = re.compile(r"""\s*(?:(?P<string>'(?:[^'\\]|\\.)*')|(?P<number>-?\d+(?:\.\d+)?)|"""
                    r"""(?P<op><>|<=|>=|=|<|>|\(|\)|,|\*)|(?P<word>[A-Za-z_][\w:.\-]*))""")
_KEYWORDS = {"SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "LIKE", "IN", "IS", "NULL", "ANY", "ORDER",
             "BY", "ASC", "DESC", "TRUE", "FALSE", "TIMESTAMP", "AS"}


@dataclass(frozen=True)
class Scope:
    """What a predicate needs beyond the row: which folders an object is filed in (its parent and
    that parent's ancestors)."""

    parent: str | None = None
    ancestors: tuple[str, ...] = ()


@dataclass
class Query:
    type_id: str
    columns: list[str]
    test: Test
    order: list[tuple[str, bool]] = field(default_factory=list)  # (property, descending)
    in_folder: str | None = None  # an IN_FOLDER that every answer must satisfy (for planning)


def invalid(message: str) -> CmisError:
    return CmisError(400, "invalidArgument", message)


def parse(statement: str) -> Query:
    tokens = _tokens(statement)
    return _Parser(tokens).query()


def _tokens(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise invalid(f"Invalid query statement near character {position + 1}!")
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "word" and value.upper() in _KEYWORDS:
            kind, value = "keyword", value.upper()
        found.append((kind, value))
        position = match.end()
    return found


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.at = 0
        self.folders: list[str] = []

    def peek(self, value: str | None = None, kind: str | None = None) -> bool:
        if self.at >= len(self.tokens):
            return False
        token_kind, token_value = self.tokens[self.at]
        return (value is None or token_value == value) and (kind is None or token_kind == kind)

    def take(self, value: str | None = None, kind: str | None = None) -> str:
        if not self.peek(value, kind):
            wanted = value or kind or "more"
            raise invalid(f"Invalid query statement: expected {wanted} at token {self.at + 1}!")
        self.at += 1
        return self.tokens[self.at - 1][1]

    def query(self) -> Query:
        self.take("SELECT")
        columns = []
        if self.peek("*"):
            self.take("*")
            columns = ["*"]
        else:
            columns.append(self.take(kind="word"))
            while self.peek(","):
                self.take(",")
                columns.append(self.take(kind="word"))
        self.take("FROM")
        type_id = self.take(kind="word")
        if self.peek(kind="word"):  # a correlation name
            self.take(kind="word")
        test: Test = lambda row, scope: True
        in_folder = None
        if self.peek("WHERE"):
            self.take("WHERE")
            test, in_folder = self.expression(top=True)
        order = []
        if self.peek("ORDER"):
            self.take("ORDER")
            self.take("BY")
            while True:
                name = self.take(kind="word")
                descending = False
                if self.peek("ASC") or self.peek("DESC"):
                    descending = self.take() == "DESC"
                order.append((name, descending))
                if not self.peek(","):
                    break
                self.take(",")
        if self.at != len(self.tokens):
            raise invalid(f"Invalid query statement: unexpected text at token {self.at + 1}!")
        return Query(type_id, columns, test, order, in_folder)

    def expression(self, top: bool = False) -> tuple[Test, str | None]:
        terms = [self.conjunction()]
        while self.peek("OR"):
            self.take("OR")
            terms.append(self.conjunction())
        if len(terms) == 1:
            return terms[0][0], terms[0][1] if top else None
        tests = [t for t, _ in terms]
        return (lambda row, scope: any(t(row, scope) for t in tests)), None

    def conjunction(self) -> tuple[Test, str | None]:
        factors = [self.factor()]
        while self.peek("AND"):
            self.take("AND")
            factors.append(self.factor())
        folder = next((f for _, f in factors if f), None)
        tests = [t for t, _ in factors]
        if len(tests) == 1:
            return tests[0], folder
        return (lambda row, scope: all(t(row, scope) for t in tests)), folder

    def factor(self) -> tuple[Test, str | None]:
        if self.peek("NOT"):
            self.take("NOT")
            inner, _ = self.factor()
            return (lambda row, scope: not inner(row, scope)), None
        if self.peek("("):
            self.take("(")
            inner, folder = self.expression()
            self.take(")")
            return inner, folder
        return self.predicate()

    def literal(self) -> Any:
        if self.peek(kind="string"):
            return _unquote(self.take())
        if self.peek(kind="number"):
            text = self.take()
            return float(text) if "." in text else int(text)
        if self.peek("TRUE") or self.peek("FALSE"):
            return self.take() == "TRUE"
        if self.peek("TIMESTAMP"):
            self.take()
            text = _unquote(self.take(kind="string"))
            try:
                return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)
            except ValueError:
                raise invalid(f"Invalid timestamp '{text[:40]}'!") from None
        raise invalid(f"Invalid query statement: expected a value at token {self.at + 1}!")

    def values(self) -> list[Any]:
        self.take("(")
        found = [self.literal()]
        while self.peek(","):
            self.take(",")
            found.append(self.literal())
        self.take(")")
        return found

    def predicate(self) -> tuple[Test, str | None]:
        if self.peek(kind="word") and self.tokens[self.at][1].upper() in ("IN_FOLDER", "IN_TREE", "CONTAINS"):
            function = self.take().upper()
            self.take("(")
            if self.peek(kind="word"):  # a qualifier
                self.take()
                self.take(",")
            argument = _unquote(self.take(kind="string"))
            self.take(")")
            if function == "IN_FOLDER":
                return (lambda row, scope: scope.parent == argument), argument
            if function == "IN_TREE":
                return (lambda row, scope: argument in scope.ancestors), None
            words = [w.casefold() for w in argument.replace('"', " ").split() if w.upper() not in ("AND", "OR")]
            return (lambda row, scope: all(any(w in str(v).casefold() for v in _strings(row)) for w in words)), None
        if self.peek("ANY"):
            self.take("ANY")
            name = self.take(kind="word")
            negated = self.peek("NOT")
            if negated:
                self.take("NOT")
            self.take("IN")
            allowed = self.values()
            return (lambda row, scope: any(v in allowed for v in _many(row.get(name))) != negated), None
        if not self.peek(kind="word"):  # 'value' = ANY property
            value = self.literal()
            self.take("=")
            self.take("ANY")
            name = self.take(kind="word")
            return (lambda row, scope: value in _many(row.get(name))), None
        name = self.take(kind="word")
        negated = False
        if self.peek("NOT"):
            self.take("NOT")
            negated = True
        if self.peek("LIKE"):
            self.take("LIKE")
            pattern = _like(_unquote(self.take(kind="string")))
            return (lambda row, scope: (row.get(name) is not None
                                        and bool(pattern.fullmatch(str(row.get(name)))) != negated)), None
        if self.peek("IN"):
            self.take("IN")
            allowed = self.values()
            return (lambda row, scope: (row.get(name) in allowed) != negated), None
        if negated:
            raise invalid("Invalid query statement: NOT must precede LIKE or IN here!")
        if self.peek("IS"):
            self.take("IS")
            is_not = self.peek("NOT")
            if is_not:
                self.take("NOT")
            self.take("NULL")
            return (lambda row, scope: (row.get(name) in (None, [])) != is_not), None
        operator = self.take(kind="op")
        if operator not in ("=", "<>", "<", ">", "<=", ">="):
            raise invalid(f"Invalid query statement: unknown operator {operator}!")
        value = self.literal()
        return (lambda row, scope: _compare(row.get(name), operator, value)), None


def _unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


def _like(pattern: str) -> re.Pattern[str]:
    """A LIKE pattern as a regular expression. unverified: matched without regard to case, as
    Alfresco matches d:text properties; the spec leaves case sensitivity to the repository."""
    out = []
    escaped = False
    for char in pattern:
        if escaped:
            out.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            out.append(".*")
        elif char == "_":
            out.append(".")
        else:
            out.append(re.escape(char))
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


def _many(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _strings(row: Row) -> list[str]:
    return [v for value in row.values() for v in _many(value) if isinstance(v, str)]


def _compare(actual: Any, operator: str, value: Any) -> bool:
    if actual is None or isinstance(actual, list):
        return False
    try:
        if operator == "=":
            return actual == value
        if operator == "<>":
            return actual != value
        if operator == "<":
            return actual < value
        if operator == ">":
            return actual > value
        if operator == "<=":
            return actual <= value
        return actual >= value
    except TypeError:
        return False
