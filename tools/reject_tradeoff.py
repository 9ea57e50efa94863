#!/usr/bin/env python3
"""The "not a digit" trade-off: at several confidence thresholds, the share of MNIST test digits
`digits classify` would refuse against the share of non-digits it refuses, kind by kind.

    python3 tools/reject_tradeoff.py --model models/default.safetensors [--digits .build/release/digits]
           [--nondigits DIR] [--thresholds 0,0.5,0.7,0.9]

Threshold 0 shows the ink-shape checks alone (pieces, density, side-by-side marks), which apply at
every threshold; "model" is the threshold recorded in the model file (if any). Non-digits are made
by tools/make-nondigits.py (seeded) unless --nondigits names a folder of KIND-INDEX.png files.
Needs the digits executable (built in release: `swift build -c release`), numpy and Pillow.
"""
import argparse, collections, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def evaluate(digits, model, threshold):
    arguments = [digits, 'evaluate', '--dataset', 'mnist', '--json', '--model', model]
    if threshold is not None:
        arguments += ['--reject-confidence', str(threshold)]
    report = json.loads(subprocess.run(arguments, check=True, capture_output=True, text=True).stdout)
    return report['rejected'] / (report['count'] - report['unreadable']), report['reject_confidence']


def classify(digits, model, threshold, files):
    arguments = [digits, 'classify', '--json', '--model', model] + files
    if threshold is not None:
        arguments[2:2] = ['--reject-confidence', str(threshold)]
    lines = subprocess.run(arguments, capture_output=True, text=True).stdout.splitlines()
    refused = collections.defaultdict(list)
    for line in lines:
        answer = json.loads(line)
        kind = os.path.basename(answer['file']).split('-')[0]
        wanted = 'several-digits' if kind == 'several' else 'not-a-digit'
        refused[kind].append(answer['verdict'] != 'digit')
        refused['(exact verdict: several)' if kind == 'several' else '(exact verdict: not a digit)'].append(
            answer['verdict'] == wanted)
    return refused


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--model', required=True)
    parser.add_argument('--digits', default=os.path.join(HERE, '..', '.build', 'release', 'digits'))
    parser.add_argument('--nondigits')
    parser.add_argument('--thresholds', default='0,0.5,0.6,0.7,0.8,0.9,0.95,0.99')
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.nondigits
        if folder is None:
            folder = os.path.join(scratch, 'nondigits')
            subprocess.run([sys.executable, os.path.join(HERE, 'make-nondigits.py'), folder], check=True,
                           stdout=subprocess.DEVNULL)
        files = sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith('.png'))
        thresholds = [float(t) for t in args.thresholds.split(',')] + [None]
        rows = []
        for threshold in thresholds:
            mnist, used = evaluate(args.digits, args.model, threshold)
            if threshold is None and used == 'none':
                continue
            refused = classify(args.digits, args.model, threshold, files)
            label = f'model {used:.4f}' if threshold is None else f'{threshold:g}'
            rows.append((label, mnist, refused))
    kinds = [k for k in rows[0][2] if not k.startswith('(')]
    everything = lambda refused: [x for k in kinds for x in refused[k]]
    header = ['threshold', 'MNIST test refused'] + kinds + ['all non-digits']
    print('| ' + ' | '.join(header) + ' |')
    print('|' + ' --- |' * len(header))
    for label, mnist, refused in rows:
        cells = [label, f'{100 * mnist:.2f} %'] + [f'{100 * sum(refused[k]) / len(refused[k]):.0f} %' for k in kinds]
        cells.append(f'{100 * sum(everything(refused)) / len(everything(refused)):.1f} %')
        print('| ' + ' | '.join(cells) + ' |')
    print(f'\n{len(files)} non-digits ({", ".join(kinds)}); "several" counts as refused when answered either way.')


if __name__ == '__main__':
    main()
