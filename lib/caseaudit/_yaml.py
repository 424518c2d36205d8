"""Reading YAML input files so that every error can name its line and place.

PyYAML's safe loader gives the data; its composed node tree gives the line of every mapping key
and list item, which pydantic's error locations are then translated through. Duplicate keys, which
PyYAML would silently collapse to the last one, are reported as problems instead. A file that cannot
be one of ours (far too large, nested thousands deep, an alias bomb) is refused before anything
walks it, in bounded time and memory.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pydantic
import yaml

from ._input import read_input_text
from .errors import InputFileError, Problem

Loc = tuple[str | int, ...]


def format_loc(loc: Loc) -> str:
    """``('domains', 2, 'criteria', 0, 'scale')`` -> ``domains[2].criteria[0].scale``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class LineMap:
    """Line numbers (1-based) of every place in a YAML document."""

    def __init__(self, root: yaml.Node | None) -> None:
        self.lines: dict[Loc, int] = {}
        self.duplicates: list[tuple[Loc, int]] = []
        if root is not None:
            self._walk(root, ())

    def _walk(self, node: yaml.Node, loc: Loc) -> None:
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in seen:
                    self.duplicates.append(((*loc, key), key_node.start_mark.line + 1))
                    continue
                seen.add(key)
                self.lines[(*loc, key)] = key_node.start_mark.line + 1
                self._walk(value_node, (*loc, key))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, (*loc, i))

    def line(self, loc: Loc) -> int | None:
        """The line of ``loc``, or of its nearest ancestor present in the file."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get(())


#: Round and framework files are a few KB (a framework with long guidance perhaps 100 KB); a round
#: listing a thousand cases inline is about 150 KB. Anything larger is not one of them.
MAX_YAML_BYTES = 1_000_000
#: Lists and mappings one inside another: a framework nests five (the top level, domains, a
#: domain, its criteria, a criterion's answered_by). PyYAML's composer recurses once per level, so
#: a deeper file is refused before it can exhaust the stack.
MAX_DEPTH = 50
#: Values in the document once every alias is expanded. A framework of 100 KB holds about 10,000;
#: the limit leaves room for a round of several thousand inline cases. Pydantic and the line map
#: walk the expanded document, so this bounds their time and memory.
MAX_VALUES = 200_000

_SAVE_AS_UTF8 = ("save it as UTF-8 text (in Notepad: File > Save As, Encoding: UTF-8; in other "
                 "editors the same choice is under Save As or Encoding)")


class _Refused(Exception):
    """A document refused while it is composed, with the line to blame (1-based)."""

    def __init__(self, message: str, mark: yaml.Mark | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = mark.line + 1 if mark is not None else None


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing documents too deep or too large once aliases are expanded.

    Anchors and aliases (``&scale`` ... ``*scale``) stay allowed: a framework author may reasonably
    reuse one ``answered_by`` list. What makes an alias bomb harmful is only the expanded size,
    because everything after composing (the line map, the constructor's users, pydantic) walks the
    expanded tree; composing itself shares the nodes, so counting the expanded size of each node
    as it is composed (a collection's is one plus its children's) is cheap and catches a bomb at
    the first level that crosses the limit, in bounded memory. The depth is checked on entering
    each node, before PyYAML recurses into it.
    """

    def __init__(self, stream: str, what: str) -> None:
        super().__init__(stream)
        self._what = what
        self._depth = 0
        self._sizes: dict[int, int] = {}  # id(node) -> expanded size, once the node is complete
        self._aliases = False

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            node = super().compose_node(parent, index)
            self._aliases = True
            if id(node) not in self._sizes:
                raise _Refused(f"the alias *{event.anchor} is used inside the very list or mapping "
                               f"it names, which never ends; write the {self._what} without it",
                               event.start_mark)
            return node
        if isinstance(event, yaml.ScalarEvent):
            node = super().compose_node(parent, index)
            self._sizes[id(node)] = 1
            return node
        if self._depth >= MAX_DEPTH:
            raise _Refused(f"lists and mappings are nested more than {MAX_DEPTH} levels deep here; "
                           f"a {self._what} needs fewer than ten, so check that this is the right "
                           "file", event.start_mark)
        self._depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if isinstance(node, yaml.SequenceNode):
            size = 1 + sum(self._sizes[id(child)] for child in node.value)
        else:
            size = 1 + sum(self._sizes[id(k)] + self._sizes[id(v)] for k, v in node.value)
        if size > MAX_VALUES:
            fix = ("write the repeated parts out instead of aliases (*name) of aliases"
                   if self._aliases else "check that this is the right file")
            expanded = " once its aliases are expanded" if self._aliases else ""
            raise _Refused(f"this holds more than {MAX_VALUES:,} values{expanded}, far more than "
                           f"a {self._what} needs; {fix}", node.start_mark)
        self._sizes[id(node)] = size
        return node


def read_yaml_text(path: Path, error: type[InputFileError] = InputFileError,
                   what: str = "file") -> str:
    """The text of a YAML input file, refused (raising ``error``) if it is not plausibly one."""
    return read_input_text(path, error, what, max_bytes=MAX_YAML_BYTES, how_to_save=_SAVE_AS_UTF8)


def read_yaml(
    path: Path, error: type[InputFileError] = InputFileError, what: str = "file"
) -> tuple[Any, LineMap]:
    """Parse ``path``; a syntax error, a duplicate key or a file that is not a plausible input
    (not text, too large, too deeply nested, an alias bomb) raises ``error`` naming the line."""
    text = read_yaml_text(path, error, what)
    loader = _BoundedLoader(text, what)
    try:
        root = loader.get_single_node()
        lines = LineMap(root)  # before constructing, which rewrites merge keys (<<) in place
        data = loader.construct_document(root) if root is not None else None
    except _Refused as exc:
        raise error(path, [Problem("", exc.message, exc.line)], what) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        detail = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise error(
            path,
            [Problem("", f"this is not valid YAML ({detail}); check indentation, colons and "
                         "quotes around text containing ':' or '#'", line)],
            what,
        ) from None
    except yaml.YAMLError as exc:
        raise error(path, [Problem("", f"this is not valid YAML ({exc})")], what) from None
    finally:
        loader.dispose()
    if lines.duplicates:
        raise error(
            path,
            [Problem(format_loc(loc), "this key appears twice; keep one", line)
             for loc, line in lines.duplicates],
            what,
        )
    if data is None:
        raise error(path, [Problem("", "the file is empty")], what)
    return data, lines


def _model_at(model: type[pydantic.BaseModel], loc: Loc) -> type[pydantic.BaseModel] | None:
    """The pydantic model class that sits at ``loc`` inside ``model`` (for listing its fields)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, pydantic.BaseModel):
            field = current.model_fields.get(part)
            current = field.annotation if field else None
        else:
            return None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, pydantic.BaseModel):
        return current
    return None


def _unwrap(tp: Any) -> Any:
    """Strip Optional/Union/Annotated down to the model or list type inside."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            inner = [a for a in typing.get_args(tp) if a is not type(None)]
            models = [a for a in inner if isinstance(a, type) and issubclass(a, pydantic.BaseModel)]
            lists = [a for a in inner if typing.get_origin(a) is list]
            tp = (models or lists or inner)[0]
        else:
            return tp


def problems_from_validation(
    exc: pydantic.ValidationError,
    model: type[pydantic.BaseModel],
    line_of: Callable[[Loc], int | None],
    only: list[Any] | None = None,
) -> list[Problem]:
    """Turn pydantic's errors into problems a person can act on, each with its place and line."""
    problems: list[Problem] = []
    for err in only if only is not None else exc.errors(include_url=False):
        loc: Loc = tuple(p for p in err["loc"] if not _is_union_tag(p))
        place = format_loc(loc)
        kind = err["type"]
        value = err.get("input")
        if kind == "extra_forbidden":
            name = str(loc[-1])
            parent = _model_at(model, loc[:-1])
            allowed = sorted(parent.model_fields) if parent else []
            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            listing = f" Allowed fields here: {', '.join(allowed)}." if allowed else ""
            msg = f"unknown field '{name}'.{hint}{listing}"
        elif kind == "missing":
            msg = f"the required field '{loc[-1]}' is missing; add it"
            loc = loc[:-1]
        elif kind == "string_pattern_mismatch":
            msg = (f"{value!r} may use only letters, digits, '.', '_' and '-' (no spaces), "
                   "starting with a letter or digit")
        elif kind == "string_type" and isinstance(value, int | float):
            msg = f"{value!r} must be text; put it in quotes, e.g. \"{value}\""
        else:
            text = err["msg"]
            if text.startswith("Value error, "):
                text = text[len("Value error, "):]
            msg = text[0].lower() + text[1:] if text else kind
            if value is not None and not isinstance(value, dict | list) and repr(value) not in msg:
                msg += f" (found {value!r})"
        problems.append(Problem(format_loc(loc) if kind == "missing" else place, msg, line_of(loc)))
    return problems


def _is_union_tag(part: str | int) -> bool:
    """pydantic adds the member type name to locations inside unions; it means nothing to users."""
    return isinstance(part, str) and ("[" in part or part in {"str", "int", "list", "dict"})


class ReferenceProblems(ValueError):
    """Raised inside a model validator for cross-reference problems (an undefined scale, an
    agency not in the round), each with its own place below the model, so that each can be
    reported at its own line rather than all at the model's."""

    def __init__(self, problems: list[tuple[Loc, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(m for _, m in problems))


ModelT = TypeVar("ModelT", bound=pydantic.BaseModel)


def validate_model(model: type[ModelT], data: object, lines: LineMap, path: Path,
                   error: type[InputFileError], what: str) -> ModelT:
    """Validate ``data`` as ``model``, raising ``error`` with every problem placed and lined."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        problems: list[Problem] = []
        other = []
        for err in exc.errors(include_url=False):
            ctx_err = (err.get("ctx") or {}).get("error")
            if isinstance(ctx_err, ReferenceProblems):
                for loc, msg in ctx_err.problems:
                    full = (*err["loc"], *loc)
                    problems.append(Problem(format_loc(full), msg, lines.line(full)))
            else:
                other.append(err)
        if other:
            problems = problems_from_validation(exc, model, lines.line, only=other) + problems
        raise error(path, problems, what) from None
