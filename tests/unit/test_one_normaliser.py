"""One normaliser for every answer: no flow reads answers on its own.

Every answer to an option list or a confirmation goes through ``conversations.matching``
(``choose``, ``choose_several``, ``means``, ``is_word``, ``option_number``), which reads the
words through ``conversations.understand``. A flow that lower-cases an answer and looks it up
in its own word list misses "iya pak", "nggih", "sampun", "gak ada", "udah itu aja", "mboten"
and every other way people write (``docs/LANGUAGE.md``), so this test reads the source of every
module in ``conversations/flows/`` and ``conversations/ppks.py`` (``dates.py`` and ``times.py``
are not read: they parse dates and times, not answers) and fails on:

- ``normalize``  ``normalize(x)``, ``x.casefold()``, ``x.lower()`` or ``x.upper()`` of an answer;
- ``regex``      ``re.match/search/fullmatch/findall/finditer/split/sub(…)`` or a compiled pattern's
                 ``.match(…)`` (and the like) on an answer;
- ``compare``    ``==``, ``!=``, ``in`` or ``not in`` with an answer on either side, an answer used as
                 a key (``WORDS[answer]``, ``WORDS.get(answer)``), or ``.startswith``/``.endswith``
                 with an answer;
- ``fuzzy``      ``fuzz.*`` / ``OSA.*`` / ``process.*`` (rapidfuzz) on an answer;
- ``number``     ``option_number(…) == 1`` (or ``!=``, ``in``): a number read as a meaning ("1 is
                 skip") rather than as the option it names (``choose`` does that).

An *answer* is ``inbound.text``, a parameter called ``text``, ``piece``, ``query`` or ``said``, and whatever is made from them by
string operations (``.strip()``, ``.split()``, slicing, ``" ".join``, f-strings, ``normalize``,
``clean``, loops and comprehensions over them). Calling another function on an answer
(``choose``, ``parse_date``, ``find_types``, ``len``) gives something else: its result is not an
answer.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKED = sorted((ROOT / "conversations" / "flows").glob("*.py")) + [ROOT / "conversations" / "ppks.py"]

ALLOWED: dict[tuple[str, str], frozenset[str]] = {
    # Not answers to a question: a ticket code ("KB-7Q4K2") is found anywhere in a message.
    ("status", "find_reference"): frozenset({"regex", "normalize"}),
    # Form fields read like dates and times, not chosen from options: RT/RW numbers ("rt 3 rw 5"),
    # a count of transactions ("1.200", "minus 3").
    ("new_case", "read_rt_rw"): frozenset({"regex"}),
    ("ewarong_visit", "read_count"): frozenset({"regex"}),
    # Place-name searches over a kecamatan's villages: a prefix ("ban") or a close spelling may fit
    # several villages, which are then offered as options; ``choose`` gives one option or none.
    ("village_agent", "find_villages"): frozenset({"normalize", "compare"}),
    ("village_agent", "_close"): frozenset({"compare", "fuzzy"}),
}
"""(module, function) → the rules that function may break, each with its reason above."""

MODULE_ALLOWED: dict[str, frozenset[str]] = {
    # ``ppks`` is itself a matcher, like ``matching``: it searches the keywords of the 26 PPKS types and
    # may return several ("anak" → six children's types), best first. It reads answers with the shared
    # cleaner (``clean``), so it may compare the cleaned words and spell them closely, but it may not
    # normalise answers its own way or run regexes on them.
    "ppks": frozenset({"compare", "fuzzy"}),
}

_ANSWER_PARAMS = frozenset({"text", "piece", "query", "said"})
_CLEANERS = frozenset({"normalize", "clean", "tokens"})
_CASE = frozenset({"casefold", "lower", "upper"})
_REGEX_FUNCTIONS = frozenset({"match", "search", "fullmatch", "findall", "finditer", "split", "sub", "subn"})
_FUZZY_MODULES = frozenset({"fuzz", "OSA", "process", "Levenshtein", "distance"})
_LOOKUPS = frozenset({"get", "startswith", "endswith", "index", "find", "count"})
_COMPARING = (ast.Eq, ast.NotEq, ast.In, ast.NotIn)


@dataclass(frozen=True)
class Finding:
    module: str
    function: str
    line: int
    rule: str
    code: str

    def __str__(self) -> str:
        return f"{self.module}.py:{self.line} in {self.function}(): [{self.rule}] {self.code}"


class _Answers:
    """The names that hold an answer in one function (see the module docstring), found to a fixed point."""

    def __init__(self, function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        args = function.args
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        self.names = {a.arg for a in every if a.arg in _ANSWER_PARAMS}
        body = function.body if isinstance(function.body, list) else [function.body]
        changed = True
        while changed:
            changed = False
            for node in (n for statement in body for n in ast.walk(statement)):
                for target, value in self._bindings(node):
                    if self.holds(value):
                        for name in _names(target):
                            if name not in self.names:
                                self.names.add(name)
                                changed = True

    @staticmethod
    def _bindings(node: ast.AST) -> list[tuple[ast.AST, ast.AST]]:
        if isinstance(node, ast.Assign):
            return [(target, node.value) for target in node.targets]
        if isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)) and node.value is not None:
            return [(node.target, node.value)]
        if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            return [(node.target, node.iter)]
        return []

    def holds(self, node: ast.AST | None) -> bool:
        """Whether ``node`` is an answer, or a string or words made from one."""
        if node is None:
            return False
        if isinstance(node, ast.Name):
            return node.id in self.names
        if isinstance(node, ast.Attribute):
            return node.attr == "text" and isinstance(node.value, ast.Name) and node.value.id == "inbound"
        if isinstance(node, ast.Subscript):
            return self.holds(node.value)
        if isinstance(node, ast.Starred):
            return self.holds(node.value)
        if isinstance(node, ast.BinOp):
            return self.holds(node.left) or self.holds(node.right)
        if isinstance(node, ast.BoolOp):
            return any(self.holds(value) for value in node.values)
        if isinstance(node, ast.IfExp):
            return self.holds(node.body) or self.holds(node.orelse)
        if isinstance(node, ast.JoinedStr):
            return any(isinstance(v, ast.FormattedValue) and self.holds(v.value) for v in node.values)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return any(self.holds(element) for element in node.elts)
        if isinstance(node, (ast.GeneratorExp, ast.ListComp, ast.SetComp)):
            return any(self.holds(g.iter) for g in node.generators) or self.holds(node.elt)
        if isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name) and function.id in _CLEANERS:
                return any(self.holds(arg) for arg in node.args)
            if isinstance(function, ast.Attribute):
                if self.holds(function.value):  # text.strip(), words.split(), …
                    return True
                if function.attr == "join":  # " ".join(words)
                    return any(self.holds(arg) for arg in node.args)
                if _is_regex_call(function):  # PATTERN.split(text), re.sub(…, text)
                    return any(self.holds(arg) for arg in node.args)
        return False


def _names(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _names(element)]
    if isinstance(target, ast.Starred):
        return _names(target.value)
    return []


def _is_regex_call(function: ast.Attribute) -> bool:
    """``re.search(…)`` or ``PATTERN.search(…)`` (a module-level name, such as a compiled pattern)."""
    if function.attr not in _REGEX_FUNCTIONS:
        return False
    receiver = function.value
    return isinstance(receiver, ast.Name) and (receiver.id == "re" or receiver.id.lstrip("_").isupper())


def _findings_in(function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, module: str, name: str, source: str) -> list[Finding]:
    answers = _Answers(function)
    found: list[Finding] = []

    def report(node: ast.AST, rule: str) -> None:
        found.append(Finding(module, name, getattr(node, "lineno", 0), rule, ast.get_source_segment(source, node) or ""))

    body = function.body if isinstance(function.body, list) else [function.body]
    for node in (n for statement in body for n in ast.walk(statement)):
        if isinstance(node, ast.Call):
            function_ = node.func
            if isinstance(function_, ast.Name) and function_.id == "normalize" and any(map(answers.holds, node.args)):
                report(node, "normalize")
            elif isinstance(function_, ast.Attribute):
                if function_.attr in _CASE and answers.holds(function_.value):
                    report(node, "normalize")
                elif _is_regex_call(function_) and any(map(answers.holds, node.args)):
                    report(node, "regex")
                elif (
                    isinstance(function_.value, ast.Name) and function_.value.id in _FUZZY_MODULES
                    and any(map(answers.holds, node.args))
                ):  # fmt: skip
                    report(node, "fuzzy")
                elif function_.attr in _LOOKUPS and (
                    any(map(answers.holds, node.args))
                    or function_.attr in ("startswith", "endswith") and answers.holds(function_.value)
                ):
                    report(node, "compare")
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(isinstance(op, _COMPARING) for op in node.ops):
                if any(map(answers.holds, operands)):
                    report(node, "compare")
                elif any(_is_option_number(operand) for operand in operands):
                    report(node, "number")
        elif isinstance(node, ast.Subscript) and answers.holds(node.slice) and not answers.holds(node.value):
            report(node, "compare")
    return found


def _is_option_number(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "option_number"


def findings(path: Path) -> list[Finding]:
    """What ``path`` does with answers on its own, outside the allow-lists."""
    source = path.read_text(encoding="utf-8")
    module = path.stem
    tree = ast.parse(source)
    found: list[Finding] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found += _findings_in(node, module, node.name, source)
    unique = {(f.line, f.rule, f.code): f for f in found}  # nested functions are walked twice
    return [
        f for f in sorted(unique.values(), key=lambda f: f.line)
        if f.rule not in ALLOWED.get((module, f.function), frozenset())
        and f.rule not in MODULE_ALLOWED.get(module, frozenset())
    ]  # fmt: skip


@pytest.mark.parametrize("path", CHECKED, ids=[p.stem for p in CHECKED])
def test_answers_are_read_only_through_matching(path: Path) -> None:
    found = findings(path)
    assert not found, "Read answers through conversations.matching instead:\n" + "\n".join(map(str, found))


def test_the_allow_list_is_still_needed() -> None:
    """Every allowed (module, function) still exists, so the list does not outlive what it excuses."""
    defined = set()
    for path in CHECKED:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined |= {(path.stem, n.name) for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    assert set(ALLOWED) <= defined, sorted(set(ALLOWED) - defined)


# --- the guard itself -----------------------------------------------------------------------------


def _check(source: str) -> list[str]:
    tree = ast.parse(source)
    rules: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            rules += [f.rule for f in _findings_in(node, "example", node.name, source)]
    return rules


@pytest.mark.parametrize(
    ("source", "rules"),
    [
        ("def f(inbound):\n    return normalize(inbound.text) in SKIP_WORDS", ["normalize", "compare"]),
        ("def f(inbound):\n    words = inbound.text.strip().casefold()\n    return words == 'ya'", ["normalize", "compare"]),
        ("def f(text):\n    return _NEGATIVE.match(text.casefold())", ["regex", "normalize"]),
        ("def f(inbound):\n    return option_number(inbound.text) == 1", ["number"]),
        ("def f(inbound):\n    for piece in SEPARATORS.split(inbound.text):\n        if piece in NAMES: pass", ["regex", "compare"]),
        ("def f(inbound):\n    q = ' '.join(w for w in clean(inbound.text).split())\n    return fuzz.ratio(q, 'x')", ["fuzzy"]),
        ("def f(inbound):\n    return WORDS[clean(inbound.text)]", ["compare"]),
        # Not answers, or answers handed to the matcher: nothing to find.
        ("def f(inbound, options):\n    return choose(inbound, options)", []),
        ("def f(inbound):\n    found = find_types(inbound.text)\n    return len(found) == 1", []),
        ("def f(inbound):\n    return inbound.option == 'skip' and option_number(inbound.text) is None", []),
        ("def f(groups):\n    return [normalize(g.name) for g in groups]", []),
        ("def f(inbound):\n    return is_word(inbound.text, WORDS) or means(inbound, 'skip')", []),
    ],
)
def test_the_guard_sees_own_matching(source: str, rules: list[str]) -> None:
    assert sorted(_check(source)) == sorted(rules)
