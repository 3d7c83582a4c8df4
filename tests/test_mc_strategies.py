"""Multiple-choice items must not be answerable by test-taking tricks (issue 10).

Every multiple-choice item of an assignment's SOURCE notebook is parsed (format: tests/course/README.md, "Multiple
choice") and four answer-free strategies are scored against the keys:

- longest:  pick the option with the most characters (and its mirror, shortest: an item set whose key is never the
            longest is just as easy to game);
- detailed: pick the option with the most "detail": words + numerals + commas/semicolons/colons/brackets (see `detail`);
- letter:   always answer the same letter (the best single letter for the assignment, so at least n/4 on average);
- overlap:  pick the option sharing the most content words (lower-cased, stopwords and 1-2 letter words dropped,
            a trailing plural "s" removed) with the item's stem (its markdown since the previous code cell).

Ties are split: a strategy that ties between t options, the key among them, earns 1/t (its expected score when it
breaks ties at random), so padding every option to the same length does not count as beating it.

Margin. A student who guesses at random on n items with k options each gets Binomial-like hits with p = 1/k per item
(a Poisson binomial when k varies). Let q95 be that distribution's 95th percentile (smallest q with P(X <= q) >= 0.95).
A strategy FAILS when its score reaches q95: it must stay strictly below what the luckiest 5% of blind guessers reach.
For the 14 four-option items of ch14_questionnaire, q95 = 6, so every strategy must score at most 5.x (chance: 3.5).
Reaching the bound on a fixed set of keys is not bad luck: the item writer controls every option, so "no strategy is
better than an unusually lucky guesser" is a bar a well-written assignment clears every time; a stricter bar (for
example, the mean) would fail honest items whose key happens to be the longest once or twice too often.
The best-letter strategy is the maximum over the letters, so balanced keys (about n/4 per letter) pass it.
"""
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "nbs" / "_course" / "source"

# The number of multiple-choice items each assignment has: a parser that silently drops items fails here.
ITEMS = {"ch14_questionnaire": 14, "ch14_further_research": 0, "ch13_review": 21}
ASSIGNMENTS = list(ITEMS)

OPTION = re.compile(r"^\s*[-*]\s+\*\*([a-h])(?:\*\*\)|\)\*\*)\s*(.+?)\s*$")   # - **a**) text   (also - **a)** text)
PLAIN_OPTION = re.compile(r"^([a-h])\) (.+?)\s*$")                             # a) text   (ch13_review: one per paragraph)
KEY = re.compile(r"""^\s*(\w+)\s*=\s*(['"])([a-h])\2\s*$""", re.M)           # q1_answer = 'c'
STOPWORDS = set("""a an the and or but if then else of to in on at by for with from into onto over under about as is are
was were be been being it its it's this that these those there their they them we our you your he she his her
not no do does did done so such than too very can could would should will may might must shall what which who whom
whose when where why how all any each every some more most other only own same just also both either neither
per via while whole has have had having one two three""".split())


def _src(cell):
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def _nbg(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def parse_items(nb_path):
    """Every multiple-choice item of a source notebook: dicts with stem, options (letter -> text), key, name.

    An item is a markdown cell with option lines `- **a**) ...` or `a) ...` (consecutive letters from a), whose next code cell
    is a solution cell assigning one letter string (`q1_answer = 'c'`). Anything that looks like an option line
    but does not fit is an error, so a format drift cannot silently drop items from the check."""
    cells = json.loads(Path(nb_path).read_text())["cells"]
    items, context = [], []
    for i, c in enumerate(cells):
        if c["cell_type"] != "markdown":
            context = []
            continue
        text = _src(c)
        opts, stem_lines = {}, []
        for line in text.splitlines():
            m = OPTION.match(line) or PLAIN_OPTION.match(line)
            if m:
                opts[m.group(1)] = m.group(2)
            elif re.match(r"^\s*[-*]\s+\*\*[a-h][*)]", line):
                raise ValueError(f"{nb_path.name} cell {i}: option line not in the documented format: {line!r}")
            elif not re.match(r"^\s*Set `\w+` to the letter", line):
                stem_lines.append(line)
        if not opts:
            context.append(text)
            continue
        letters = sorted(opts)
        assert letters == [chr(ord("a") + j) for j in range(len(letters))] and len(letters) >= 2, \
            f"{nb_path.name} cell {i}: options must be a, b, c, ... (got {letters})"
        nxt = next((d for d in cells[i + 1:] if d["cell_type"] == "code"), None)
        assert nxt is not None and _nbg(nxt).get("solution"), f"{nb_path.name} cell {i}: no solution cell after the options"
        keys = KEY.findall(_src(nxt))
        assert len(keys) == 1, f"{nb_path.name} cell {i}: the solution cell must assign exactly one letter, got {keys}"
        name, _, key = keys[0]
        assert key in opts, f"{nb_path.name} {name}: key {key!r} is not an option"
        items.append({"name": name, "stem": "\n".join(context + stem_lines), "options": opts, "key": key})
        context = []
    return items


def words(text):
    return re.findall(r"[A-Za-z][A-Za-z'-]*|\d+(?:\.\d+)?", text)


def detail(text):
    "How detailed an option looks: its words, plus its numerals again, plus its commas, semicolons, colons and brackets"
    return len(words(text)) + len(re.findall(r"\d+(?:\.\d+)?", text)) + len(re.findall(r"[,;:()\[\]]", text))


def content_words(text):
    out = set()
    for w in words(text.lower()):
        if w in STOPWORDS or (len(w) < 3 and not w.isdigit()):
            continue
        out.add(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return out


def _pick_score(item, value):
    "Credit of 'pick the option with the highest value' (ties split evenly)"
    vals = {l: value(t) for l, t in item["options"].items()}
    best = max(vals.values())
    top = [l for l, v in vals.items() if v == best]
    return (item["key"] in top) / len(top)


def strategy_scores(items):
    out = {
        "longest": sum(_pick_score(it, len) for it in items),
        "shortest": sum(_pick_score(it, lambda t: -len(t)) for it in items),
        "detailed": sum(_pick_score(it, detail) for it in items),
        "overlap": sum(_pick_score(it, lambda t, s=content_words(it["stem"]): len(content_words(t) & s)) for it in items),
    }
    letters = sorted({l for it in items for l in it["options"]})
    out["letter"] = max((sum(it["key"] == l for it in items) for l in letters), default=0)
    return out


def chance_q95(items):
    "95th percentile of the number of hits of a blind guesser (Poisson binomial, p = 1/options per item)"
    dist = [1.0]
    for it in items:
        p = 1 / len(it["options"])
        new = [0.0] * (len(dist) + 1)
        for h, pr in enumerate(dist):
            new[h] += pr * (1 - p)
            new[h + 1] += pr * p
        dist = new
    cdf = 0.0
    for q, pr in enumerate(dist):
        cdf += pr
        if cdf >= 0.95 - 1e-12:
            return q
    return len(items)


def test_parser_reads_the_documented_format(tmp_path):
    nb = {"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "Which shape?\n\n- **a**) long long option\n- **b**) short\n\nSet `q_answer` to the letter of the best answer."},
        {"cell_type": "code", "metadata": {"nbgrader": {"solution": True}}, "source": "### BEGIN SOLUTION\nq_answer = 'b'\n### END SOLUTION"},
    ]}
    p = tmp_path / "x.ipynb"
    p.write_text(json.dumps(nb))
    [it] = parse_items(p)
    assert it["key"] == "b" and it["options"] == {"a": "long long option", "b": "short"} and it["stem"].strip() == "Which shape?"
    assert strategy_scores([it]) == {"longest": 0, "shortest": 1, "detailed": 0, "overlap": 0.5, "letter": 1}
    nb["cells"][0]["source"] += "\n- **c** ) malformed"
    p.write_text(json.dumps(nb))
    with pytest.raises(ValueError):
        parse_items(p)


def test_chance_bound():
    four = [{"options": dict.fromkeys("abcd")}] * 14
    assert chance_q95(four) == 6          # Binomial(14, 1/4): P(X <= 5) = 0.888, P(X <= 6) = 0.962
    assert chance_q95([{"options": dict.fromkeys("abcd")}] * 20) == 8


def test_strategies_catch_a_giveaway():
    "Items written the old way (the key is the long, detailed option that repeats the stem's words) fail the check"
    items = [{"stem": f"Why does a residual block {w} help?", "key": "abcd"[i % 4],
              "options": {l: (f"because the residual block {w} keeps an identity path, so gradients (and signals) reach "
                              f"early layers, as the paper measured at 34, 50 and 101 layers" if l == "abcd"[i % 4] else "it is faster")
                          for l in "abcd"}} for i, w in enumerate(["x", "y", "z", "w"] * 4)]
    scores, bound = strategy_scores(items), chance_q95(items)
    assert scores["longest"] >= bound and scores["detailed"] >= bound and scores["overlap"] >= bound
    assert scores["letter"] < bound and scores["shortest"] < bound


@pytest.mark.parametrize("a", ASSIGNMENTS)
def test_no_strategy_beats_chance(a):
    items = parse_items(SOURCE / a / f"{a}.ipynb")
    assert len(items) == ITEMS[a], f"{a}: parsed {len(items)} multiple-choice items, expected {ITEMS[a]}: {[i['name'] for i in items]}"
    if not items:
        return      # no multiple choice at all: nothing to game
    scores, bound = strategy_scores(items), chance_q95(items)
    report = ", ".join(f"{k} {v:.2f}" for k, v in scores.items())
    bad = {k: v for k, v in scores.items() if v >= bound}
    assert not bad, (f"{a}: {len(items)} items, chance {sum(1 / len(i['options']) for i in items):.2f}, "
                     f"q95 {bound}; strategies that reach it: {bad} (all: {report})")
