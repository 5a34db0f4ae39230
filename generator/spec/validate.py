"""Validate: OpenAPI version, $ref safety and resolution, our own checks, then openapi-spec-validator.

Every problem is a (JSON pointer, message) pair; the pipeline turns pointers into lines.
`prepare` runs our own checks and leaves openapi-spec-validator, the slow part, for later: in a
forked process while the caller works on (start), or in this one when its problems are asked for.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, lru_cache, partial
from typing import Any
from urllib.parse import unquote

from ..diagnostics import join_pointer
from ..forked import Forked, can_fork
from .bundle import MISSING, resolve_pointer
from .checks import check_compositions, check_operations, check_refs, check_version
from .load import SpecSource
from .pieces import Facts, PieceKey, all_valid, skeleton

__all__ = [
    "MAX_REPORTED",
    "Facts",
    "Validation",
    "begin",
    "prepare",
    "resolve_pointer",
    "validate",
]

MAX_REPORTED = 50
# A validator message quotes the offending value; a whole schema is not worth a screenful.
_MAX_MESSAGE = 300
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MISSING = MISSING

# Validator errors that check_operations reports with a better location.
_OWN_CHECKS = frozenset({"DuplicateOperationIDError", "ParameterDuplicateError"})

Problem = tuple[str | None, str]
# A warning: (pointer, message, kind).
Warning = tuple[str | None, str, str]

_CRASHED = "the OpenAPI validator could not check this document: "
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\b\d+(?:\.\d+)?\b")

# Documents with fewer operations and component schemas than this validate in well under a
# second: forking for them costs more than it saves.
BACKGROUND_MIN_SIZE = 100


def validate(source: SpecSource, document: dict[str, Any], *, strict: bool = True) -> list[Problem]:
    """Return (pointer, message) problems; empty when the document is valid OpenAPI 3.0/3.1."""
    return begin(source, document, background=False, strict=strict).problems()


class Validation:
    """A validation begun: our own checks are done; openapi-spec-validator runs apart or later.

    problems() waits for the validator in the other process, or runs it here if it has not run.
    Unless `strict`, what the validator finds is a warning (warnings(), once problems() has come
    back), and its crashing is one warning: the document is then checked by our own checks only.
    """

    def __init__(
        self,
        own: list[Problem],
        ours: set[str | None],
        document: Any = None,
        *,
        strict: bool = True,
        facts: Facts | None = None,
    ) -> None:
        self._own = own
        self._facts = facts
        self._ours = ours
        self._strict = strict
        self._warnings: list[Warning] = []
        # The document still to validate; None when our own checks already settled it.
        self._document = document
        self._validator: Forked[list[Problem]] | None = None
        self._result: list[Problem] | None = None if document is not None else own

    @property
    def running(self) -> bool:
        """True while the validator runs in another process (problems() then waits for it)."""
        return self._validator is not None and self._result is None

    @property
    def settled(self) -> bool:
        """True when problems() answers at once (our own checks failed, or all has run)."""
        return self._result is not None

    def start(self) -> None:
        """Run the validator in a forked process if the document is large and forking is safe."""
        if (
            self._result is None
            and self._validator is None
            and _size(self._document) >= BACKGROUND_MIN_SIZE
            and can_fork()
        ):
            self._validator = Forked(_runner(self._document, self._facts))

    def problems(self) -> list[Problem]:
        """The problems validate() returns for the same document (runs or waits for the validator)."""
        if self._result is None:
            if self._validator is not None:
                found = self._validator.result()
            else:
                found = _runner(self._document, self._facts)()
            # Where our own check spoke, the validator's messages about the same spot only repeat it.
            found = [p for p in found if p[0] not in self._ours]
            if self._strict:
                self._result = (self._own + found)[:MAX_REPORTED]
            else:
                self._result = self._own[:MAX_REPORTED]
                self._warnings = [_as_warning(p) for p in found]
        return self._result

    def warnings(self) -> list[Warning]:
        """What the validator found, when not strict: (pointer, message, kind) after problems()."""
        return list(self._warnings)

    def cancel(self) -> None:
        if self._validator is not None and self._result is None:
            self._validator.cancel()


def _as_warning(problem: Problem) -> Warning:
    pointer, message = problem
    if message.startswith(_CRASHED):
        return (
            pointer,
            f"{message}; checked by the generator's own checks only",
            "validator-crashed",
        )
    return pointer, message, "validator: " + _QUOTED.sub("…", message)[:100]


def begin(
    source: SpecSource,
    document: dict[str, Any],
    *,
    background: bool = True,
    strict: bool = True,
) -> Validation:
    """Start validating; the result's problems() are what validate() returns.

    openapi-spec-validator, seconds for a large spec, runs in a forked process when `background`
    is set, the document is large and forking is safe (this process runs one thread): the caller
    works on meanwhile, and must not act on its results (write files) before problems() has come
    back empty. Without `background` it has run when begin() returns.
    """
    validation = prepare(source, document, strict=strict)
    if background:
        validation.start()
    else:
        validation.problems()
    return validation


def prepare(
    source: SpecSource,
    document: dict[str, Any],
    *,
    strict: bool = True,
    facts: Facts | None = None,
) -> Validation:
    """Our own checks, now; the validator runs when the result is start()ed or asked for problems().

    Unless `strict`, the validator's findings are warnings (see Validation). With `facts`, the
    pieces of the document found valid before are not validated again (pieces.py). Our checks run first so that no later step sees a remote, dangling or circular $ref or a schema
    that contains itself.
    """
    version_problem = check_version(document)
    if version_problem is not None:
        return Validation([version_problem], set())
    ref_problems = list(check_refs(document))
    if ref_problems:
        # The validator follows $refs itself: never hand it one that is remote, dangling or circular.
        return Validation(ref_problems[:MAX_REPORTED], set())
    loops = list(check_compositions(document))
    if loops:
        # The validator would recurse through them forever.
        return Validation(loops[:MAX_REPORTED], set())
    problems = list(check_operations(document))
    return Validation(
        problems, {pointer for pointer, _ in problems}, document, strict=strict, facts=facts
    )


def _size(document: dict[str, Any]) -> int:
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    paths = document.get("paths")
    return (len(schemas) if isinstance(schemas, dict) else 0) + (
        sum(len(item) for item in paths.values() if isinstance(item, dict))
        if isinstance(paths, dict)
        else 0
    )


def _run_validator(document: dict[str, Any]) -> list[Problem]:
    with _crawl_once():
        return _validator_problems(document)


def _run_by_piece(document: dict[str, Any], facts: Facts) -> list[Problem]:
    """_run_validator's problems: none when every piece is valid, else the whole document's."""
    with _crawl_once():
        if all_valid(document, facts, _Pieces(document)):
            return []
    return _run_validator(document)


def _runner(document: dict[str, Any], facts: Facts | None) -> Callable[[], list[Problem]]:
    if facts is None:
        return partial(_run_validator, document)
    return partial(_run_by_piece, document, facts)


class _Pieces:
    """openapi-spec-validator on one piece at a time (see pieces.py): whether it finds anything.

    A piece's walk stops at the component schemas of other pieces (as if already visited): each
    is walked as its own piece, from the start, which does every check a walk reaching it does.
    """

    def __init__(self, document: dict[str, Any]) -> None:
        self._validator = _located_validator(str(document["openapi"]).startswith("3.0."))
        self._whole: Any = None
        # Schemas found valid against the dialect, by content: one document, one dialect.
        self._valid_texts: set[str] = set()
        schemas = document.get("components", {}).get("schemas", {})
        self._roots = (
            frozenset(id(s) for s in schemas.values() if isinstance(s, dict))
            if isinstance(schemas, dict)
            else frozenset()
        )

    def schema_errors(self, document: dict[str, Any], pieces: list[PieceKey]) -> bool:
        try:
            top = skeleton(document, pieces)
            return _any_error(self._validator.schema_validator.iter_errors(top))
        except Exception:  # the whole document's validation says what it is
            return True

    def walk_errors(self, document: dict[str, Any], piece: PieceKey) -> bool:
        from openapi_spec_validator.validation.registries import KeywordValidatorRegistry

        try:
            if piece == ("top",):  # the tags: the walk of the top level alone
                return _any_error(self._validator(skeleton(document, [])).iter_errors())
            if self._whole is None:
                self._whole = self._validator(document).schema_path
            registry: Any = KeywordValidatorRegistry(self._validator.keyword_validators)
            walker = registry["schema"]
            walker.valid_schema_texts = self._valid_texts
            own = id(document["components"]["schemas"][piece[2]]) if piece[1] == "schemas" else 0
            walker.visited_schema_ids = _Seen(self._roots, own)
            walker.meta_checked_schema_ids = _Seen(self._roots, own)
            if piece[0] == "paths":
                return _any_error(registry["path"](piece[1], self._whole / "paths" / piece[1]))
            if piece[1] == "schemas":
                return _any_error(walker(self._whole / "components" / "schemas" / piece[2]))
            return False
        except Exception:  # the whole document's validation says what it is
            return True


def _any_error(errors: Iterator[Any]) -> bool:
    return any(type(error).__name__ not in _OWN_CHECKS for error in errors)


def _validator_problems(document: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    try:
        validator = _located_validator(str(document["openapi"]).startswith("3.0."))(document)
        for error in validator.iter_errors():
            if type(error).__name__ in _OWN_CHECKS:
                continue
            pointer = getattr(error, "generator_pointer", None)
            if pointer is None:
                pointer = join_pointer(*(getattr(error, "absolute_path", None) or ()))
            pointer = _through_refs(document, pointer)
            problems.append((pointer, _shorten(str(getattr(error, "message", error)))))
            if len(problems) >= MAX_REPORTED:
                break
    except RecursionError:
        problems.append(
            (
                None,
                "the document nests schemas too deeply for the OpenAPI validator;"
                " move inner schemas to components and $ref them",
            )
        )
    except Exception as exc:  # the validator's internal failures become diagnostics
        problems.append((None, f"{_CRASHED}{exc}"))
    return problems


def _through_refs(document: dict[str, Any], pointer: str) -> str:
    """The pointer where the value really is: the validator reaches shared schemas through $refs."""
    node: Any = document
    real: list[str] = []
    for raw in pointer.split("/")[1:] if pointer else []:
        token = raw.replace("~1", "/").replace("~0", "~")
        for _ in range(16):  # a $ref standing in for the object that holds `token`
            ref = node.get("$ref") if isinstance(node, dict) and token not in node else None
            if not (isinstance(ref, str) and ref.startswith("#/")):
                break
            target = resolve_pointer(document, ref[1:])
            if target is MISSING:
                break
            node, real = (
                target,
                [unquote(t).replace("~1", "/").replace("~0", "~") for t in ref[2:].split("/")],
            )
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return pointer
        real.append(token)
    return join_pointer(*real)


_crawl_lock = threading.Lock()
_crawl_users = 0
# urllib.parse functions that referencing._core calls by these names.
_URL_FUNCTIONS = ("urljoin", "urldefrag")


@contextmanager
def _crawl_once() -> Iterator[None]:
    """referencing's Registry.crawl, computed once per registry while the validator runs.

    jsonschema resolves every `$dynamicRef` (the OpenAPI 3.1 dialect has one per schema) through
    a registry with uncrawled resources and crawls it again each time: most of the validator's
    time on a large spec. A registry is immutable and crawl() a pure function of it, so reusing
    the first result changes nothing but the time. The same holds for the URL joins and splits
    of each resolution, cached meanwhile too.
    """
    global _crawl_users
    from referencing import Registry, _core

    with _crawl_lock:
        if _crawl_users == 0:
            # Every $ref and $dynamicRef is joined to its base URI and split from its fragment
            # by urllib (pure Python, a tenth of the validator's time): the same few pairs each
            # time, and both pure functions of their arguments.
            for name in _URL_FUNCTIONS:
                setattr(_core, name, lru_cache(maxsize=4096)(getattr(_core, name)))
            original = Registry.crawl
            crawled: dict[int, tuple[Any, Any]] = {}

            def crawl(self: Any) -> Any:
                hit = crawled.get(id(self))
                if hit is not None and hit[0] is self:
                    return hit[1]
                result = original(self)
                crawled[id(self)] = (self, result)  # holding self: its id is not reused meanwhile
                return result

            crawl.original = original  # type: ignore[attr-defined]
            Registry.crawl = crawl  # type: ignore[method-assign]
        _crawl_users += 1
    try:
        yield
    finally:
        with _crawl_lock:
            _crawl_users -= 1
            if _crawl_users == 0:
                Registry.crawl = Registry.crawl.original  # type: ignore[attr-defined,method-assign]
                for name in _URL_FUNCTIONS:
                    setattr(_core, name, getattr(_core, name).__wrapped__)


def _canonical(value: Any) -> str | None:
    """The value as canonical JSON (keys sorted); None if it is not plain JSON data."""
    try:
        return json.dumps(value, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return None


class _Seen(set[int]):
    """The validator's lists of visited schema ids, as a set: it only appends and tests membership.

    The ids in `marked` but `own` count as seen from the start.
    """

    def __init__(self, marked: frozenset[int] = frozenset(), own: int = 0) -> None:
        super().__init__()
        self._marked = marked
        self._own = own

    def __contains__(self, item: object) -> bool:
        return super().__contains__(item) or (item in self._marked and item != self._own)

    def append(self, item: int) -> None:
        self.add(item)


def _shorten(message: str) -> str:
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


@cache
def _located_validator(v30: bool) -> Any:
    """openapi-spec-validator's spec validator, with every keyword validator noting where its errors are.

    Its semantic checks (duplicate operationIds and parameters, default values, unresolved path
    parameters) raise errors without a path; each keyword validator is called with the location
    it checks, which is recorded on the errors it yields (the innermost one wins).
    """
    from jsonschema_path import SchemaPath
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    from openapi_spec_validator.validation import keywords
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    base: Any = OpenAPIV30SpecValidator if v30 else OpenAPIV31SpecValidator

    def locating(cls: Any) -> Any:
        is_value = issubclass(cls, keywords.ValueValidator)

        def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            at = next((a for a in args if isinstance(a, SchemaPath)), None)
            for error in cls.__call__(self, *args, **kwargs):
                if at is not None and getattr(error, "generator_pointer", None) is None:
                    if not isinstance(error, OpenAPIValidationError):
                        error = OpenAPIValidationError.create_from(error)
                    relative = list(getattr(error, "relative_path", None) or ())
                    error.generator_pointer = join_pointer(
                        *at.parts, *(["default"] if is_value else []), *relative
                    )
                yield error

        members: dict[str, Any] = {"__call__": __call__}
        if issubclass(cls, keywords.SchemaValidator):

            def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
                cls.__init__(self, *args, **kwargs)
                # Lists in the validator: `id in list` over thousands of schemas is quadratic.
                self.visited_schema_ids = _Seen()
                self.meta_checked_schema_ids = _Seen()
                self.valid_schema_texts = set()

            def _validate_schema_meta(self: Any, schema: Any, schema_value: Any) -> Any:
                # The check against the JSON Schema dialect depends on the schema's content only
                # (and the document's dialect, the same throughout): a schema equal to one found
                # valid is valid. A third of a large spec's schemas repeat another's.
                text = _canonical(schema_value)
                if text is not None and text in self.valid_schema_texts:
                    return None
                error = cls._validate_schema_meta(self, schema, schema_value)
                if error is None and text is not None:
                    self.valid_schema_texts.add(text)
                return error

            members["__init__"] = __init__
            members["_validate_schema_meta"] = _validate_schema_meta
        return type(cls.__name__, (cls,), members)

    located = {name: locating(cls) for name, cls in base.keyword_validators.items()}
    return type(f"Located{base.__name__}", (base,), {"keyword_validators": located})
