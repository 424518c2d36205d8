"""Benchmark of the note privacy guard (issue 8 §7): how well and how fast it warns.

Scores `find_personal_data` on the two halves of the evaluation set in tests/data (built by
tests/data/make_privacy_notes.py): the *tuning* notes the rules were written against and the
*held-out* notes they were not. For each it prints the share of notes with personal data that get
a warning (recall), the share of warnings that are right (precision), recall by kind and, for
names, by origin. Then the time per note: the first call in a fresh process (which loads the
first-name lists), and the median per note afterwards, beside a floor of one regular expression
splitting the same notes into words. `--show` lists the misses and the false warnings of the
tuning notes (`--show-held-out` of the held-out ones: look at those only to report, never to tune).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from caseaudit.privacy import find_personal_data

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
TODAY = date(2026, 11, 24)  # the day the evaluation set is scored as of


def load(split: str) -> list[dict]:
    path = DATA / f"privacy_notes_{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def score(notes: list[dict], show: bool) -> None:
    positives = [n for n in notes if n["personal"]]
    flagged = {n["id"]: find_personal_data(n["text"], today=TODAY) for n in notes}
    true_flags = sum(1 for n in positives if flagged[n["id"]])
    all_flags = sum(1 for n in notes if flagged[n["id"]])
    print(f"  notes {len(notes)}, with personal data {len(positives)}: "
          f"recall {true_flags / len(positives):.1%} ({true_flags}/{len(positives)}), "
          f"precision {true_flags / max(all_flags, 1):.1%} ({true_flags}/{all_flags})")
    by_kind, found_kind = Counter(), Counter()
    by_origin, found_origin = Counter(), Counter()
    for n in positives:
        kinds_found = {f.kind for f in flagged[n["id"]]}
        for kind in n["kinds"]:
            by_kind[kind] += 1
            found_kind[kind] += kind in kinds_found
        if "origin" in n:
            by_origin[n["origin"]] += 1
            found_origin[n["origin"]] += "name" in kinds_found
    print("  recall by kind (the right kind found): " + ", ".join(
        f"{k} {found_kind[k]}/{by_kind[k]}" for k in sorted(by_kind)))
    misses = [o for o in sorted(by_origin) if found_origin[o] < by_origin[o]]
    print("  names missed by origin: " + (", ".join(
        f"{o} {by_origin[o] - found_origin[o]}/{by_origin[o]}" for o in misses) or "none"))
    if show:
        for n in notes:
            got = flagged[n["id"]]
            if n["personal"] and not got:
                print(f"  MISS  {n['kinds']}: {n['text']}")
            elif not n["personal"] and got:
                print(f"  FALSE {[(f.kind, f.text) for f in got]}: {n['text']}")


def first_call() -> float:
    """Seconds for the first call in a fresh process (the lists load lazily, once)."""
    code = ("import time; from caseaudit.privacy import find_personal_data as f; t = time.perf_counter(); "
            "f('Mother Oliwia Nowak was seen.'); print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return float(out.stdout.strip())


def timing(notes: list[dict], repeat: int) -> None:
    texts = [n["text"] for n in notes]
    find_personal_data(texts[0])  # warm: the lists are loaded once per process
    word = re.compile(r"\w+")

    def per_note(fn) -> float:  # type: ignore[no-untyped-def]
        runs = []
        for _ in range(repeat):
            t = time.perf_counter()
            for text in texts:
                fn(text)
            runs.append((time.perf_counter() - t) / len(texts))
        return statistics.median(runs)

    guard = per_note(lambda s: find_personal_data(s, today=TODAY))
    floor = per_note(word.findall)
    mean_chars = statistics.mean(len(t) for t in texts)
    print(f"time per note ({len(texts)} notes, {mean_chars:.0f} characters on average): "
          f"{guard * 1e6:.0f} µs | floor, one regex splitting into words: {floor * 1e6:.1f} µs "
          f"(ratio {guard / floor:.0f})")
    long_note = " ".join(texts[:40])
    t = time.perf_counter()
    find_personal_data(long_note, today=TODAY)
    print(f"one long note ({len(long_note):,} characters): {(time.perf_counter() - t) * 1e3:.1f} ms")
    print(f"first call in a fresh process (loads the name lists): {first_call() * 1e3:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list the tuning notes' misses and false flags")
    parser.add_argument("--show-held-out", action="store_true", help="the same for the held-out notes")
    parser.add_argument("--show-fresh", action="store_true", help="the same for the fresh notes")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for split, show in (("tuning", args.show), ("heldout", args.show_held_out), ("fresh", args.show_fresh)):
        print(f"{split}:")
        score(load(split), show)
    timing(load("heldout") + load("tuning") + load("fresh"), args.repeat)


if __name__ == "__main__":
    main()
