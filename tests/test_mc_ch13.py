"""Can the multiple-choice items of ch13_review be answered without knowing anything? (issue 10)

Parses the SOURCE notebook `nbs/_course/source/ch13_review/ch13_review.ipynb` in the course's MC convention:

- the question is a markdown cell whose options are lines `a) ...`, `b) ...`, `c) ...`, `d) ...`
  (one per line, blank lines between them allowed); everything else in the cell is the stem;
- the next solution cell sets `qN_answer = 'b'` between `### BEGIN SOLUTION` / `### END SOLUTION`;
- the test cell after it compares `qN_answer` with that key in its hidden part.

and scores four strategies that use only the text of the options:

- "longest option" (characters), and its mirror "shortest option" (an item set where the key is never the longest
  is just as easy to game),
- "most detailed option" (words + numbers + commas),
- "same letter every time" (the best single letter, chosen after seeing the keys: an upper bound),
- "option sharing most content words with the stem" (lower-case words of 3+ letters, a final "s" dropped,
  common function words ignored).

A strategy that ties between k options (one of them the key) earns 1/k for that item, its expected score when it
picks one of the tied options at random.

Margin: with n items and 4 options, blind guessing scores Binomial(n, 1/4). The test fails when a strategy scores
more than the one-sided 95% upper bound of that distribution, the smallest x with P(X <= x) >= 0.95 (for ch13's
21 items: chance 5.25, bound 9, i.e. a margin of 3.75 items; the test prints the scores). A bound this wide still
catches the old notebook, where "longest" scored 20 of 21. It cannot be much tighter without failing honest item
sets by accident: if each key were the longest of its four options by chance alone, 8 or more of 21 would happen
13% of the time, 10 or more only 2%. The items were written to stay well inside it (longest 6.3, shortest 2.5,
most detailed 3.8, best letter 6, stem overlap 2.1 when this test was written).
"""
import json
import math
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "nbs" / "_course" / "source" / "ch13_review" / "ch13_review.ipynb"
LETTERS = "abcd"
OPTION = re.compile(r"^([a-d])\) (.+?)\s*$", re.M)
KEY = re.compile(r"""^\s*(q\d+)_answer\s*=\s*['"]([a-d])['"]\s*$""", re.M)
STOP = set("""the and for with that this from into onto are was were has have had its it's not but any all one
each than then them they their there what which when where why how who does did done can could should would will
into only also more most much very you your our out off per such same some other another over under about after
before between both while whose because""".split())


def _src(cell):
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def mc_items(nb_path=SOURCE):
    "[(qid, stem, {letter: option}, key)] for every multiple-choice item of a source notebook"
    cells = json.loads(Path(nb_path).read_text())["cells"]
    items = []
    for i, c in enumerate(cells):
        if c["cell_type"] != "markdown":
            continue
        text = _src(c)
        opts = dict(OPTION.findall(text))
        if not opts:
            continue
        assert sorted(opts) == list(LETTERS), f"cell {i}: options must be exactly a) to d), got {sorted(opts)}"
        sol = next((d for d in cells[i + 1:] if _meta(d).get("solution")), None)
        assert sol is not None, f"cell {i}: no answer cell after the options"
        body = _src(sol).split("### BEGIN SOLUTION")[-1].split("### END SOLUTION")[0]
        m = KEY.search(body)
        assert m, f"cell {i}: the answer cell must set qN_answer = '<letter>' inside the solution region"
        qid, key = m.groups()
        test = next((d for d in cells[cells.index(sol) + 1:] if _meta(d).get("grade") and not _meta(d).get("solution")), None)
        assert test is not None and re.search(rf"{qid}_answer\b.*==\s*['\"]{key}['\"]", _src(test)), \
            f"{qid}: the hidden test must compare {qid}_answer with '{key}'"
        stem = OPTION.sub("", text)
        stem = re.sub(r"Set `q\d+_answer`.*", "", stem)          # the instruction line is the same everywhere
        stem = re.sub(r"\(fastbook ch\d+[^)]*\)", "", stem)
        items.append((qid, stem, opts, key))
    return items


def _words(s):
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w
            for w in re.findall(r"[a-z]+", s.lower()) if len(w) >= 3 and w not in STOP}


def detail(s):
    "words + numbers + commas"
    return len(re.findall(r"[A-Za-z]+", s)) + len(re.findall(r"\d+(?:\.\d+)?", s)) + s.count(",")


def _pick(opts, key, score):
    vals = {k: score(v) for k, v in opts.items()}
    best = [k for k, v in vals.items() if v == max(vals.values())]
    return (1 / len(best)) if key in best else 0.0


def strategy_scores(items):
    stems = {q: _words(stem) for q, stem, _, _ in items}
    keys = [key for *_, key in items]
    return {
        "longest option": sum(_pick(o, k, len) for _, _, o, k in items),
        "shortest option": sum(_pick(o, k, lambda v: -len(v)) for _, _, o, k in items),
        "most detailed option": sum(_pick(o, k, detail) for _, _, o, k in items),
        "same letter every time": max(keys.count(x) for x in LETTERS),
        "most words shared with the stem": sum(_pick(o, k, lambda v, q=q: len(_words(v) & stems[q])) for q, _, o, k in items),
    }


def binomial_upper(n, p=0.25, level=0.95):
    "The smallest x with P(X <= x) >= level for X ~ Binomial(n, p)"
    cdf = 0.0
    for x in range(n + 1):
        cdf += math.comb(n, x) * p ** x * (1 - p) ** (n - x)
        if cdf >= level:
            return x
    return n


def test_binomial_bound():
    assert binomial_upper(21) == 9 and binomial_upper(15) == 7 and binomial_upper(4) == 3


def test_parser_sees_every_item():
    items = mc_items()
    assert len(items) == 21, [q for q, *_ in items]
    assert len({q for q, *_ in items}) == len(items)


def test_no_strategy_beats_chance():
    items = mc_items()
    n, bound = len(items), binomial_upper(len(items))
    scores = strategy_scores(items)
    print(f"\nch13_review: {n} MC items, chance {n / 4:.2f}, 95% bound {bound}: " +
          ", ".join(f"{k} {v:.2f}" for k, v in scores.items()))
    bad = {k: v for k, v in scores.items() if v > bound}
    assert not bad, f"strategies beat chance (more than {bound} of {n}): {bad}"


def test_strategies_catch_a_giveaway():
    "The check can fail: the same items with the key made the longest option fail it."
    items = [(q, s, {**o, k: o[k] + " (this is the long, detailed, correct one, " + s + ")"}, k) for q, s, o, k in mc_items()]
    scores = strategy_scores(items)
    assert scores["longest option"] > binomial_upper(len(items))
    assert scores["most detailed option"] > binomial_upper(len(items))
    assert scores["most words shared with the stem"] > binomial_upper(len(items))


if __name__ == "__main__":
    import sys
    its = mc_items(sys.argv[1] if len(sys.argv) > 1 else SOURCE)
    print(len(its), binomial_upper(len(its)), strategy_scores(its))
    for q, s, o, k in its:
        L = {x: len(v) for x, v in o.items()}
        print(q, k, L, {x: detail(v) for x, v in o.items()}, {x: len(_words(v) & _words(s)) for x, v in o.items()})
