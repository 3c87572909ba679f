"""The OData v4 query options WorkZone's `/OData4/` takes, as far as the simulator serves them.

`$filter` with `eq ne gt ge lt le`, `and or not`, parentheses, `contains()`, `startswith()`,
`endswith()`, `tolower()`/`toupper()` and WorkZone's `inDomain('<domain>')`; `$select`, `$expand`
(with nested `$select`/`$expand` in parentheses), `$top`, `$skip`, `$count`, `$orderby` (checked,
then the server's own order). Strings compare ignoring case, as WorkZone's SQL Server collation
does. A property the entity type does not have is refused with OData's own wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import ODataError

_TOKEN = re.compile(r"""\s*(?:
    (?P<string>'(?:[^']|'')*')
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<name>[A-Za-z_$][A-Za-z0-9_./$]*)
  | (?P<punct>[(),])
)""", re.VERBOSE)
_COMPARE = {"eq", "ne", "gt", "ge", "lt", "le"}
_FUNCTIONS = {"contains", "startswith", "endswith", "tolower", "toupper", "indomain"}

Entity = dict[str, Any]
Node = tuple  # ("and"|"or", a, b) | ("not", a) | ("cmp", op, a, b) | ("call", name, args) | ("prop", name) | ("lit", v)


def _tokens(text: str) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ODataError(400, f"Syntax error at position {position} in '{text[:120]}'.")
        position = match.end()
        if match.group("string") is not None:
            found.append(("lit", match.group("string")[1:-1].replace("''", "'")))
        elif match.group("number") is not None:
            number = match.group("number")
            found.append(("lit", float(number) if "." in number else int(number)))
        elif match.group("name") is not None:
            name = match.group("name")
            lowered = name.lower()
            if lowered in ("and", "or", "not") or lowered in _COMPARE:
                found.append(("op", lowered))
            elif lowered in ("null", "true", "false"):
                found.append(("lit", {"null": None, "true": True, "false": False}[lowered]))
            else:
                found.append(("name", name))
        else:
            found.append(("punct", match.group("punct")))
    return found


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, Any]:
        token = self.peek()
        if token is None:
            raise ODataError(400, f"Syntax error: '{self.text[:120]}' ends too early.")
        self.at += 1
        return token

    def expect(self, kind: str, value: Any) -> None:
        token = self.take()
        if token != (kind, value):
            raise ODataError(400, f"Syntax error: '{value}' expected in '{self.text[:120]}'.")

    def parse(self) -> Node:
        node = self.or_()
        if self.peek() is not None:
            raise ODataError(400, f"Syntax error at '{self.peek()[1]}' in '{self.text[:120]}'.")
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.peek() == ("op", "or"):
            self.take()
            node = ("or", node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.unary()
        while self.peek() == ("op", "and"):
            self.take()
            node = ("and", node, self.unary())
        return node

    def unary(self) -> Node:
        if self.peek() == ("op", "not"):
            self.take()
            return ("not", self.unary())
        left = self.operand()
        token = self.peek()
        if token is not None and token[0] == "op" and token[1] in _COMPARE:
            self.take()
            return ("cmp", token[1], left, self.operand())
        return left

    def operand(self) -> Node:
        kind, value = self.take()
        if (kind, value) == ("punct", "("):
            node = self.or_()
            self.expect("punct", ")")
            return node
        if kind == "lit":
            return ("lit", value)
        if kind == "name":
            if self.peek() == ("punct", "("):
                if value.lower() not in _FUNCTIONS:
                    raise ODataError(400, f"Unknown function '{value}'.")
                self.take()
                args: list[Node] = []
                if self.peek() != ("punct", ")"):
                    args.append(self.or_())
                    while self.peek() == ("punct", ","):
                        self.take()
                        args.append(self.or_())
                self.expect("punct", ")")
                return ("call", value.lower(), args)
            return ("prop", value)
        raise ODataError(400, f"Syntax error at '{value}' in '{self.text[:120]}'.")


def parse_filter(text: str) -> Node:
    return _Parser(text).parse()


def properties_of(node: Node) -> set[str]:
    if node[0] == "prop":
        return {node[1]}
    if node[0] == "lit":
        return set()
    if node[0] == "call":
        return set().union(*(properties_of(a) for a in node[2])) if node[2] else set()
    if node[0] == "cmp":
        return properties_of(node[2]) | properties_of(node[3])
    return set().union(*(properties_of(a) for a in node[1:]))


def conjuncts(node: Node | None) -> list[Node]:
    """The parts of a filter that must all hold (for narrowing a search before evaluating it)."""
    if node is None:
        return []
    if node[0] == "and":
        return conjuncts(node[1]) + conjuncts(node[2])
    return [node]


def _folded(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def evaluate(node: Node, entity: Entity, domain: Callable[[str, Entity], bool]) -> Any:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "prop":
        return entity.get(node[1])
    if kind == "and":
        return bool(evaluate(node[1], entity, domain)) and bool(evaluate(node[2], entity, domain))
    if kind == "or":
        return bool(evaluate(node[1], entity, domain)) or bool(evaluate(node[2], entity, domain))
    if kind == "not":
        return not evaluate(node[1], entity, domain)
    if kind == "cmp":
        op = node[1]
        left = _folded(evaluate(node[2], entity, domain))
        right = _folded(evaluate(node[3], entity, domain))
        if op == "eq":
            return left == right
        if op == "ne":
            return left != right
        if left is None or right is None:
            return False
        try:
            return {"gt": left > right, "ge": left >= right, "lt": left < right, "le": left <= right}[op]
        except TypeError:
            raise ODataError(400, f"The operator '{op}' cannot compare these operands.") from None
    name, args = node[1], [evaluate(a, entity, domain) for a in node[2]]
    if name == "indomain":
        if len(args) != 1 or not isinstance(args[0], str):
            raise ODataError(400, "inDomain takes one domain name.")
        return domain(args[0], entity)
    if name in ("tolower", "toupper"):
        if len(args) != 1:
            raise ODataError(400, f"{name} takes one argument.")
        return args[0].lower() if name == "tolower" and isinstance(args[0], str) else \
            args[0].upper() if isinstance(args[0], str) else args[0]
    if len(args) != 2:
        raise ODataError(400, f"{name} takes two arguments.")
    text, part = _folded(args[0]), _folded(args[1])
    if not isinstance(text, str) or not isinstance(part, str):
        return False
    return {"contains": part in text, "startswith": text.startswith(part), "endswith": text.endswith(part)}[name]


@dataclass
class Expand:
    name: str
    select: list[str] | None = None
    expand: list["Expand"] = field(default_factory=list)


def _split_top(text: str, separator: str = ",") -> list[str]:
    """`a,b($select=x,y),c` split at the separators outside parentheses."""
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == separator and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    if depth:
        raise ODataError(400, f"Unbalanced parentheses in '{text[:120]}'.")
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def parse_select(text: str | None) -> list[str] | None:
    if text is None:
        return None
    names = [n.strip() for n in text.split(",") if n.strip()]
    return names or None


def parse_expand(text: str | None) -> list[Expand]:
    """`Parties($select=A,B;$expand=NameKey($select=C))`: nested options are separated by `;`."""
    if not text:
        return []
    found = []
    for item in _split_top(text):
        name, _, rest = item.partition("(")
        expand = Expand(name.strip())
        if rest:
            if not rest.endswith(")"):
                raise ODataError(400, f"Syntax error in $expand '{item[:120]}'.")
            for option in _split_top(rest[:-1], ";"):
                key, _, value = option.partition("=")
                if key.strip() == "$select":
                    expand.select = parse_select(value)
                elif key.strip() == "$expand":
                    expand.expand += parse_expand(value)
                else:
                    raise ODataError(400, f"The query option '{key.strip()[:40]}' is not supported inside $expand.")
        found.append(expand)
    return found


def shaped(entity: Entity, select: list[str] | None, known: set[str], type_name: str) -> Entity:
    """The entity with only the selected properties (ID always stays, as OData's key does)."""
    if select is None:
        return dict(entity)
    for name in select:
        if name not in known and name != "*":
            raise ODataError(400, f"Could not find a property named '{name}' on type 'WorkZone.{type_name}'.")
    if "*" in select:
        return dict(entity)
    return {k: v for k, v in entity.items() if k in select or k == "ID" or k.startswith("@odata")}


def check_properties(node: Node | None, known: set[str], type_name: str) -> None:
    for name in properties_of(node) if node is not None else ():
        if name not in known:
            raise ODataError(400, f"Could not find a property named '{name}' on type 'WorkZone.{type_name}'.")


def integer_option(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    if not value.strip().isdigit():
        raise ODataError(400, f"Invalid value '{value[:20]}' for the query option {name}; it must be a non-negative integer.")
    return int(value)
