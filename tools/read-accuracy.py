#!/usr/bin/env python3
"""How well `digits read` reads whole numbers: one table per category of tools/make-number-strings.py.

Runs the built binary once per category (`digits read --json FILES...`) over a set made by
make-number-strings.py (generated afresh into a temporary folder from --seed and --n, or an
existing folder with its labels.tsv given by --set), and prints:

  category, strings, exact (the whole string right, in %), digits (per-digit accuracy: digits of
  the true number matched in the best alignment with the answer, over all true digits), complete
  (no mark refused), wrong length (more or fewer digits than the truth)

plus the two targets of issue 9: 5-digit separated strings >= 95 % exact, one touching pair >= 85 %.
A line {"file", "error"} or a missing line counts as wrong. --misses N lists N wrong answers.

Usage:
    python3 tools/read-accuracy.py [--binary PATH] [--model PATH] [--set DIR | --n N --seed S]
                                   [--categories a,b] [--keep DIR] [--misses N] [--json] [--no-reject]
                                   [--ceiling]
--ceiling also reads every digit of every string alone (the same picture with the other digits
erased, written by make-number-strings.py --isolated) with `digits classify` and `digits read`:
per-digit accuracy and the share of strings all of whose digits are right alone, the bound that the
classifier sets on "exact" when segmentation is perfect.
--binary defaults to .build/release/digits (build it with `swift build -c release`).
"""
import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
TARGETS = {"separated-5": 95.0, "touching-5": 85.0}


def aligned_matches(truth, answer):
    """Digits of `truth` matched by `answer` in their longest common subsequence."""
    previous = [0] * (len(answer) + 1)
    for t in truth:
        current = [0]
        for j, a in enumerate(answer):
            current.append(previous[j] + 1 if t == a else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def read_labels(directory):
    with open(os.path.join(directory, "labels.tsv")) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def run_json(binary, command_name, model, paths, no_reject=False, exit_codes=None):
    """{path: answer object} from `digits COMMAND --json` runs, batched to keep argv short. With
    `exit_codes`, any other exit status ends this tool with the command's stderr."""
    answers = {}
    for start in range(0, len(paths), 500):
        batch = paths[start:start + 500]
        command = ([binary, command_name, "--json"] + (["--model", model] if model else [])
                   + (["--no-reject"] if no_reject else []) + batch)
        result = subprocess.run(command, capture_output=True, text=True)
        if exit_codes is not None and result.returncode not in exit_codes:
            sys.exit(f"read-accuracy: {' '.join(command[:4])} … exited {result.returncode}: {result.stderr.strip()[:500]}")
        for line in result.stdout.splitlines():
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            answers[obj.get("file")] = obj
    return answers


def run_read(binary, model, paths, no_reject=False):
    """{path: answer object or None} from `read --json` (0, 1 and 2 are its normal exit statuses)."""
    return run_json(binary, "read", model, paths, no_reject, exit_codes=(0, 1, 2))


def run_classify(binary, model, paths, no_reject=False):
    """{path: classify's answer object} from `classify --json`."""
    return run_json(binary, "classify", model, paths, no_reject)


def ceilings(args, directory, categories):
    """{category: row} of what perfect segmentation would give: each digit of each string alone
    (make-number-strings.py --isolated: the same picture with the other digits erased), read by
    `digits classify` (the classifier alone) and by `digits read` (one mark: the reader's crop).
    A string's ceiling is whether every one of its digits alone is right."""
    folder = os.path.join(directory, "isolated")
    if not os.path.exists(os.path.join(folder, "labels.tsv")):
        sys.exit(f"read-accuracy: --ceiling needs {folder}/labels.tsv (make-number-strings.py --isolated)")
    with open(os.path.join(folder, "labels.tsv")) as f:
        singles = list(csv.DictReader(f, delimiter="\t"))
    paths = [os.path.join(folder, r["file"]) for r in singles]
    classified = run_classify(args.binary, args.model, paths, args.no_reject)
    read = run_read(args.binary, args.model, paths, args.no_reject)
    rows = {}
    for category in categories:
        group = [(r, p) for r, p in zip(singles, paths) if r["category"] == category]
        strings = {}
        right = {"classify": 0, "read": 0}
        for r, p in group:
            ok = {"classify": (classified.get(p) or {}).get("digit") == int(r["digit"]),
                  "read": (read.get(p) or {}).get("number") == r["digit"]}
            for key in ok:
                right[key] += ok[key]
            whole = strings.setdefault(r["string"], {"classify": True, "read": True})
            for key in ok:
                whole[key] = whole[key] and ok[key]
        n = max(1, len(group))
        rows[category] = {"digits_classify": 100 * right["classify"] / n, "digits_read": 100 * right["read"] / n,
                          "ceiling_classify": 100 * sum(s["classify"] for s in strings.values()) / max(1, len(strings)),
                          "ceiling_read": 100 * sum(s["read"] for s in strings.values()) / max(1, len(strings))}
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=os.path.join(REPO, ".build", "release", "digits"))
    parser.add_argument("--model")
    parser.add_argument("--set", help="an existing folder made by make-number-strings.py")
    parser.add_argument("--n", type=int, default=250)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--categories")
    parser.add_argument("--keep", help="generate into this folder and keep it")
    parser.add_argument("--misses", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="the table as one JSON object")
    parser.add_argument("--no-reject", action="store_true", help="pass --no-reject: no mark is refused")
    parser.add_argument("--ceiling", action="store_true",
                        help="also read each digit alone (make-number-strings.py --isolated): the classifier-only bound")
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        sys.exit(f"read-accuracy: no binary at {args.binary}; run `swift build -c release` or pass --binary")

    temporary = None
    directory = args.set
    if not directory:
        directory = args.keep or tempfile.mkdtemp(prefix="digits-read-")
        temporary = None if args.keep else directory
        command = [sys.executable, os.path.join(REPO, "tools", "make-number-strings.py"), "--out", directory,
                   "--n", str(args.n), "--seed", str(args.seed)]
        if args.categories:
            command += ["--categories", args.categories]
        if args.ceiling:
            command += ["--isolated"]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    try:
        rows = read_labels(directory)
        categories = []
        for row in rows:
            if row["category"] not in categories:
                categories.append(row["category"])
        if args.categories:
            categories = [c for c in categories if c in args.categories.split(",")]
        table = []
        misses = []
        started = time.time()
        for category in categories:
            group = [r for r in rows if r["category"] == category]
            paths = [os.path.join(directory, r["file"]) for r in group]
            answers = run_read(args.binary, args.model, paths, args.no_reject)
            exact = digits_right = digits_total = complete = wrong_length = 0
            for row, path in zip(group, paths):
                truth = row["number"]
                answer = answers.get(path) or {}
                said = answer.get("number", "")
                exact += said == truth
                digits_right += aligned_matches(truth, said)
                digits_total += len(truth)
                complete += bool(answer.get("complete"))
                wrong_length += len(said) != len(truth)
                if said != truth:
                    misses.append((category, row["file"], truth, said or answer.get("error", "no answer")))
            n = len(group)
            table.append({"category": category, "strings": n, "exact": 100 * exact / n,
                          "digits": 100 * digits_right / digits_total, "complete": 100 * complete / n,
                          "wrong_length": 100 * wrong_length / n})
        seconds = time.time() - started
        bounds = ceilings(args, directory, categories) if args.ceiling else {}
        for r in table:
            r.update(bounds.get(r["category"], {}))
        if args.json:
            print(json.dumps({"rows": table, "seconds": seconds, "set": directory}))
        else:
            print(f"digits read on {sum(r['strings'] for r in table)} strings ({directory if not temporary else f'seed {args.seed}, n {args.n}'}), "
                  f"{args.binary}{' --model ' + args.model if args.model else ''}"
                  f"{' --no-reject' if args.no_reject else ''}, {seconds:.1f} s")
            print(f"{'category':<14}{'strings':>8}{'exact':>9}{'digits':>9}{'complete':>10}{'wrong len':>11}  target")
            for r in table:
                target = TARGETS.get(r["category"])
                verdict = "" if target is None else f">= {target:.0f} % " + ("met" if r["exact"] >= target else "MISSED")
                print(f"{r['category']:<14}{r['strings']:>8}{r['exact']:>8.1f}%{r['digits']:>8.1f}%{r['complete']:>9.1f}%"
                      f"{r['wrong_length']:>10.1f}%  {verdict}")
            if bounds:
                print("each digit alone (the same pictures, the other digits erased): per-digit accuracy and the share of")
                print("strings whose every digit alone is right, by `digits classify` and by `digits read` (one mark):")
                print(f"{'category':<14}{'classify':>10}{'ceiling':>9}{'read':>9}{'ceiling':>9}")
                for r in table:
                    print(f"{r['category']:<14}{r['digits_classify']:>9.1f}%{r['ceiling_classify']:>8.1f}%"
                          f"{r['digits_read']:>8.1f}%{r['ceiling_read']:>8.1f}%")
            for category, name, truth, said in misses[:args.misses]:
                print(f"  miss {category}: {name}: {truth} -> {said}")
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
