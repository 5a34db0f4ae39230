"""Line splitting: black's right-hand and delimiter splits, followed step by step on leaves."""

# This follows black 26.10 (default mode, line length 88) on the leaves black's line generator
# would make: transform_line, rhs (right_hand_split_with_omits, generate_trailers_to_omit,
# _first_right_hand_split, _maybe_split_omitting_optional_parens, _prefer_split_rhs_oop_over_rhs,
# can_omit_invisible_parens), delimiter_split, bracket_split_build_line, should_split_line and
# the bracket tracker, including what black changes on leaves as it goes (invisible parentheses
# made visible, prefixes reset, depths re-marked) and its second opinion with forced optional
# parentheses; for a `def` line, left_hand_split and the trailing comma black adds to a lone
# parameter. No comments, no multiline strings, no operators but `|`, comparisons and and/or,
# no unpacking: whatever else is met raises Unsupported.

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from .leaves import (
    BRACKETS,
    CLOSING,
    CLOSING_OF,
    COLON,
    COMMA,
    COMMA_PRIORITY,
    DOT_PRIORITY,
    EQUAL,
    LPAR,
    LSQB,
    NO_ANNOTATION,
    OPENING,
    RBRACE,
    RETURN_ANNOTATION,
    RPAR,
    RSQB,
    STRING,
    TERNARY_PRIORITY,
    Leaf,
    Line,
    is_short,
    one_sequence_between,
)
from .style import LINE_LENGTH, Unsupported

TEXT_OF = {LPAR: "(", RPAR: ")", LSQB: "[", RSQB: "]"}

__all__ = ["lay_out"]


class _CannotSplit(Exception):
    pass


class _RHS:
    __slots__ = ("body", "closing", "head", "opening", "tail")

    def __init__(self, head: Line, body: Line, tail: Line, opening: Leaf, closing: Leaf):
        self.head, self.body, self.tail = head, body, tail
        self.opening, self.closing = opening, closing


_Split = Callable[[Line, bool], Iterator[Line]]


def _transform(line: Line, force_parens: bool = False) -> list[Line]:
    """black's transform_line: the line as it is, or split into lines that fit if it can."""
    if not line.split_rhs and line.magic is None and is_short(line):
        return [line]
    text = line.render()
    splits: list[_Split]
    if line.is_def and not _split_def_with_rhs(line):
        splits = [_lhs]
    else:
        splits = [_delimiter_split, _rhs] if line.inside else [_rhs]
    for split in splits:
        try:
            return _run(line, split, text, force_parens)
        except _CannotSplit:
            continue
    return [line]


def _run(line: Line, split: _Split, text: str, force_parens: bool) -> list[Line]:
    """black's run_transformer: split, lay out each piece, and maybe ask for a second opinion.

    The second opinion is the right-hand split again, on fresh leaves, with the optional
    parentheses kept: taken when the first line of the first one is still too long and every
    line of the second one fits.
    """
    optional = [b for b in line.invisible if b.depth == 0]
    result: list[Line] = []
    for piece in split(line, force_parens):
        if piece.render() == text:
            raise _CannotSplit("unchanged")
        result.extend(_transform(piece, force_parens))
    if (
        force_parens
        or split is not _rhs
        or not line.invisible
        or any(b.value for b in optional)
        or is_short(result[0])
        or any(leaf.added for leaf in line.leaves)
    ):
        return result
    copy = Line(line.depth, line.inside)
    copy.split_rhs = line.split_rhs
    copy.magic = line.magic
    for old in line.leaves:
        copy.append(old.clone())
    second = _run(copy, _rhs, text, True)
    if all(is_short(piece) for piece in second):
        return second
    return result


def _delimiter_split(line: Line, force_parens: bool) -> Iterator[Line]:
    if not line.leaves:
        raise _CannotSplit("empty")
    last = line.leaves[-1]
    try:
        priority = line.max_priority(exclude=last)
    except ValueError:
        raise _CannotSplit("no delimiters") from None
    if priority == DOT_PRIORITY and line.count_priority(priority) == 1:
        raise _CannotSplit("a single attribute split from its owner")
    if priority == TERNARY_PRIORITY:
        # black parenthesizes a conditional expression it splits, in more places than this
        # module models: such a statement is left to black.
        raise Unsupported("a split at a conditional expression")
    current = Line(line.depth, line.inside)
    for leaf in line.leaves:
        current.append(leaf, preformatted=True)
        if line.delimiters.get(leaf) == priority:
            current.leaves[0].prefix = ""
            yield current
            current = Line(line.depth, line.inside)
    if current.leaves:
        if priority == COMMA_PRIORITY and current.leaves[-1].kind != COMMA:
            comma = Leaf(COMMA, ",", "")
            comma.added = True
            current.append(comma)
        current.leaves[0].prefix = ""
        yield current


def _rhs(line: Line, force_parens: bool) -> Iterator[Line]:
    """black's right_hand_split_with_omits."""
    prefix_lengths: dict[Leaf, int] = {}
    length = 4 * line.depth
    for leaf in line.leaves:
        prefix_lengths[leaf] = length
        length += len(leaf.prefix) + len(leaf.value)
    first_lines: list[Line] | None = None
    for omit in _trailers_to_omit(line):
        if omit:
            target: Leaf | None = None
            for leaf in reversed(line.leaves):
                if leaf.kind in CLOSING and leaf not in omit:
                    target = leaf.opening
                    break
            if target is not None and target.value and prefix_lengths[target] > LINE_LENGTH:
                continue
        lines = list(_right_hand_split(line, force_parens, omit))
        if first_lines is None and not omit:
            first_lines = lines
        if is_short(lines[0]):
            yield from lines
            return
    if first_lines is not None:
        yield from first_lines
    else:
        yield from _right_hand_split(line, force_parens, set())


def _trailers_to_omit(line: Line) -> Iterator[set[Leaf]]:
    omit: set[Leaf] = set()
    if line.magic is None:
        yield omit
    length = 4 * line.depth
    opening: Leaf | None = None
    closing: Leaf | None = None
    inner: set[Leaf] = set()
    for index, leaf, leaf_length in line.lengths(reverse=True):
        length += leaf_length
        if length > LINE_LENGTH:
            break
        if opening is not None:
            if leaf is opening:
                opening = None
            elif leaf.kind in CLOSING:
                prev = line.leaves[index - 1] if index > 0 else None
                if prev is not None and prev.kind == COMMA and not _one_sequence(leaf, line):
                    break  # a bracket pair with a trailing comma is never omitted
                inner.add(leaf)
        elif leaf.kind in CLOSING:
            prev = line.leaves[index - 1] if index > 0 else None
            if prev is not None and prev.kind in OPENING:
                inner.add(leaf)
                continue
            if closing is not None:
                omit.add(closing)
                omit.update(inner)
                inner.clear()
                yield omit
            if prev is not None and prev.kind == COMMA and not _one_sequence(leaf, line):
                break
            if leaf.value:
                opening = leaf.opening
                closing = leaf


def _one_sequence(closing: Leaf, line: Line) -> bool:
    opening = closing.opening
    return opening is not None and one_sequence_between(opening, closing, line.leaves)


def _split_def_with_rhs(line: Line) -> bool:
    """black's should_split_funcdef_with_rhs: a magic trailing comma in the return annotation,
    or one that starts with a string and is too long."""
    returns = Line(line.depth)
    inside = False
    kept: list[Leaf] = []
    for leaf in line.leaves:
        if leaf.kind == COLON:
            inside = False
        if inside:
            kept.append(leaf)
        if leaf.value == "->":
            inside = True
    track = _inside_matching_brackets(kept)
    for leaf in kept:
        returns.append(leaf, preformatted=True, track=leaf in track)
    first = next((leaf for leaf in kept if leaf.value), None)
    return returns.magic is not None or (
        first is not None and first.kind == STRING and not is_short(returns)
    )


def _lhs(line: Line, force_parens: bool) -> Iterator[Line]:
    """black's left_hand_split: a `def` line split at its parameters' parentheses."""
    for kind in (LPAR, LSQB):
        head: list[Leaf] = []
        body: list[Leaf] = []
        tail: list[Leaf] = []
        current = head
        matching: Leaf | None = None
        for index, leaf in enumerate(line.leaves):
            if index == 2 and leaf.kind == LSQB:
                raise Unsupported("type parameters")
            if current is body and leaf.kind in CLOSING and leaf.opening is matching:
                leaf.value = TEXT_OF[leaf.kind]
                if matching is not None:
                    matching.value = TEXT_OF[matching.kind]
                current = tail if body else head
            current.append(leaf)
            if current is head and leaf.kind == kind:
                matching = leaf
                current = body
        if matching is not None and tail:
            break
    if matching is None or not tail:
        raise _CannotSplit("no brackets")
    head_line = _build(head, line, matching, "head")
    body_line = _build(body, line, matching, "body")
    tail_line = _build(tail, line, matching, "tail")
    if not body_line.leaves:
        tail_length = len(tail_line.render().strip())
        if tail_length == 0:
            raise _CannotSplit("same line")
        if tail_length < 3:
            raise _CannotSplit("not worth it")
    for result in (head_line, body_line, tail_line):
        if result.leaves:
            yield result


def _right_hand_split(line: Line, force_parens: bool, omit: set[Leaf]) -> Iterator[Line]:
    rhs = _first_right_hand_split(line, omit)
    yield from _maybe_omitting_optional_parens(rhs, line, force_parens, omit)


def _first_right_hand_split(line: Line, omit: set[Leaf]) -> _RHS:
    tail: list[Leaf] = []
    body: list[Leaf] = []
    head: list[Leaf] = []
    current = tail
    opening: Leaf | None = None
    closing: Leaf | None = None
    for leaf in reversed(line.leaves):
        if current is body and leaf is opening:
            current = head if body else tail
        current.append(leaf)
        if current is tail and leaf.kind in CLOSING and leaf not in omit:
            opening = leaf.opening
            closing = leaf
            current = body
    if opening is None or closing is None or not head:
        raise _CannotSplit("no brackets")
    tail.reverse()
    body.reverse()
    head.reverse()
    head_line = _build(head, line, opening, "head")
    body_line = _build(body, line, opening, "body")
    tail_line = _build(tail, line, opening, "tail")
    if not body_line.leaves:
        tail_length = len(tail_line.render().strip())
        if tail_length == 0:
            raise _CannotSplit("same line")
        if tail_length < 3:
            raise _CannotSplit("not worth it")
    return _RHS(head_line, body_line, tail_line, opening, closing)


def _inside_matching_brackets(leaves: Sequence[Leaf]) -> set[Leaf]:
    start = next((i for i, leaf in enumerate(leaves) if leaf.kind in OPENING), None)
    if start is None:
        return set()
    kept: set[Leaf] = set()
    stack: list[tuple[int, list[Leaf]]] = []
    for leaf in leaves[start:]:
        if leaf.kind in OPENING:
            stack.append((CLOSING_OF[leaf.kind], [leaf]))
        elif leaf.kind in CLOSING:
            if stack and leaf.kind == stack[-1][0]:
                _, level = stack.pop()
                level.append(leaf)
                kept.update(level)
            else:
                break
        elif stack:
            stack[-1][1].append(leaf)
    return kept


def _build(leaves: list[Leaf], original: Line, opening: Leaf, component: str) -> Line:
    result = Line(original.depth)
    if component == "body":
        result.inside = True
        result.depth += 1
        if (
            leaves
            and leaves[-1].kind != COMMA
            and _ensure_trailing_comma(leaves, original, opening)
        ):
            comma = Leaf(COMMA, ",", "")
            comma.added = True
            leaves.append(comma)
    track = _inside_matching_brackets(leaves) if component == "head" else set()
    for leaf in leaves:
        result.append(leaf, preformatted=True, track=leaf in track)
    if component == "body" and _should_split(result, opening):
        result.split_rhs = True
    return result


def _ensure_trailing_comma(leaves: list[Leaf], original: Line, opening: Leaf) -> bool:
    """black's _ensure_trailing_comma: an import's names, and a lone parameter of a `def`."""
    if original.is_import:
        return True
    if not original.is_def or opening.value != "(":
        return False
    if any(leaf.kind == COMMA and leaf.annotation == NO_ANNOTATION for leaf in leaves):
        return False
    if leaves[0].annotation == RETURN_ANNOTATION:
        return False
    if leaves[0].annotation != NO_ANNOTATION:
        raise Unsupported("a split inside a parameter's annotation on a def line")
    return True


def _should_split(line: Line, opening: Leaf) -> bool:
    """black's should_split_line: explode a collection or an import one item a line."""
    if not line.leaves:
        return False
    last = line.leaves[-1]
    trailing_comma = last.kind == COMMA
    try:
        priority = line.max_priority(exclude=last if trailing_comma else None)
    except ValueError:
        return False
    return priority == COMMA_PRIORITY and (trailing_comma or opening.atom)


def _maybe_omitting_optional_parens(
    rhs: _RHS, line: Line, force_parens: bool, omit: set[Leaf]
) -> Iterator[Line]:
    if (
        not force_parens
        and rhs.opening.kind == LPAR
        and not rhs.opening.value
        and rhs.closing.kind == RPAR
        and not rhs.closing.value
        and not line.is_import
        and _can_omit_invisible_parens(rhs)
    ):
        omit = {rhs.closing, *omit}
        try:
            rhs_oop = _first_right_hand_split(line, omit)
            if _prefer_rhs_oop(rhs_oop, rhs):
                yield from _maybe_omitting_optional_parens(rhs_oop, line, force_parens, omit)
                return
        except _CannotSplit as exc:
            chained = sum(1 for leaf in line.leaves if leaf.kind == EQUAL) > 1
            if not chained and len(rhs.body.leaves) < 2 and not is_short(rhs.body):
                raise _CannotSplit("body too long and cannot be split") from exc
    if rhs.opening.kind == LPAR:
        rhs.opening.value = "("
    if rhs.closing.kind == RPAR:
        rhs.closing.value = ")"
    for result in (rhs.head, rhs.body, rhs.tail):
        if result.leaves:
            yield result


def _can_omit_invisible_parens(rhs: _RHS) -> bool:
    line = rhs.body
    if not line.delimiters:
        return True
    priority = line.max_priority()
    if line.count_priority(priority) > 1:
        return False
    if priority == DOT_PRIORITY:
        return True
    if len(line.leaves) < 2:
        raise Unsupported("stranded delimiter")
    first, second = line.leaves[0], line.leaves[1]
    if (
        first.kind in OPENING
        and second.kind not in CLOSING
        and _can_omit_opening_paren(line, first)
    ):
        return True
    penultimate, last = line.leaves[-2], line.leaves[-1]
    if last.kind in (RPAR, RBRACE) or (last.kind == RSQB and last.atom):
        if penultimate.kind in OPENING:
            return False
        if _can_omit_closing_paren(line, last):
            return True
    return False


def _can_omit_opening_paren(line: Line, first: Leaf) -> bool:
    remainder = False
    length = 4 * line.depth
    for _, leaf, leaf_length in line.lengths():
        if leaf.kind in CLOSING and leaf.opening is first:
            remainder = True
        if remainder:
            length += leaf_length
            if length > LINE_LENGTH:
                return False
            if leaf.kind in OPENING:
                remainder = False
    return True


def _can_omit_closing_paren(line: Line, last: Leaf) -> bool:
    length = 4 * line.depth
    seen_other_brackets = False
    for _, leaf, leaf_length in line.lengths():
        length += leaf_length
        if leaf is last.opening:
            if seen_other_brackets or length <= LINE_LENGTH:
                return True
        elif leaf.kind in OPENING:
            seen_other_brackets = True
    return False


def _prefer_rhs_oop(rhs_oop: _RHS, rhs: _RHS) -> bool:
    head = rhs.head.leaves
    if not (len(head) >= 2 and head[-2].kind == EQUAL):
        return True
    if not any(leaf.kind in BRACKETS for leaf in head[:-1]):
        return True
    if not is_short(rhs.head, LINE_LENGTH - 1):
        return True
    if rhs.head.magic is not None:
        return True
    head_equals = sum(1 for leaf in head if leaf.kind == EQUAL)
    oop_equals = sum(1 for leaf in rhs_oop.head.leaves if leaf.kind == EQUAL)
    if head_equals > 1 and head_equals > oop_equals:
        return False
    for leaf in reversed(rhs_oop.head.leaves):
        if leaf.kind == EQUAL:
            break
        if leaf.kind in CLOSING:
            return True
    return oop_equals > 0 and is_short(rhs_oop.head)


def lay_out(leaves: list[Leaf], depth: int) -> list[str]:
    """A statement's leaves (each with its canonical space) as black splits them into lines."""
    line = Line(depth)
    for leaf in leaves:
        line.append(leaf)
    return [piece.render() for piece in _transform(line)]
