#!/usr/bin/env python3
"""The "not a digit" trade-off: at several confidence thresholds and, for a model with a trained
"not a digit" class, several bars for that class, the share of MNIST test digits `digits classify`
would refuse against the share of non-digits it refuses, kind by kind.

    python3 tools/reject_tradeoff.py --model models/default.safetensors [--digits .build/release/digits]
           [--nondigits DIR] [--thresholds 0,0.5,0.7,0.9] [--ratios 1,0.85,0.7,0.5]

Threshold 0 shows the ink-shape checks alone (pieces, density, side-by-side marks), which apply at
every threshold. A ratio r refuses when P(not a digit) > r * P(likeliest digit) (1: the class must be
the most probable); threshold rows use ratio 1, ratio rows threshold 0, each measured with a copy of
the model whose recorded `reject_not_a_digit_ratio` is r (the binary is the one that runs, unchanged).
"model" is what the model file records (threshold and ratio). Non-digits are made
by tools/make-nondigits.py (seeded) unless --nondigits names a folder of KIND-INDEX.png files.
Needs the digits executable (built in release: `swift build -c release`), numpy and Pillow.
"""
import argparse, collections, json, os, struct, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RATIO_KEY = 'provenance.reject_not_a_digit_ratio'


def read_safetensors(path):
    """(header, tensor bytes) of a safetensors file."""
    with open(path, 'rb') as f:
        (length,) = struct.unpack('<Q', f.read(8))
        return json.loads(f.read(length)), f.read()


def with_ratio(model, ratio, path):
    """A copy of the safetensors file `model` whose metadata records `ratio` as its class bar (the
    tensors' bytes unchanged: their offsets count from the end of the header)."""
    header, data = read_safetensors(model)
    header.setdefault('__metadata__', {})[RATIO_KEY] = repr(float(ratio))
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + data)
    return path


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
    parser.add_argument('--ratios', default='1,0.85,0.7,0.5,0.3',
                        help='bars for the trained class (a model with one only)')
    args = parser.parse_args()
    metadata = read_safetensors(args.model)[0].get('__metadata__', {})
    has_class = 'not-a-digit' in metadata.get('class_labels', '')
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.nondigits
        if folder is None:
            folder = os.path.join(scratch, 'nondigits')
            subprocess.run([sys.executable, os.path.join(HERE, 'make-nondigits.py'), folder], check=True,
                           stdout=subprocess.DEVNULL)
        files = sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith('.png'))
        settings = [(float(t), 1.0) for t in args.thresholds.split(',')]
        if has_class:
            settings += [(0.0, float(r)) for r in args.ratios.split(',') if float(r) != 1]
        settings.append((None, None))
        rows = []
        for threshold, ratio in settings:
            model = args.model if ratio is None else with_ratio(args.model, ratio, os.path.join(scratch, f'r{ratio}.safetensors'))
            mnist, used = evaluate(args.digits, model, threshold)
            if threshold is None and used == 'none' and RATIO_KEY not in metadata:
                continue
            refused = classify(args.digits, model, threshold, files)
            if threshold is None:
                label = 'model: ' + (f'threshold {used:.4f}' if used != 'none' else 'no threshold')
                if has_class:
                    label += f', ratio {float(metadata.get(RATIO_KEY, 1)):.2f}'
            else:
                label = f'{threshold:g}' + (f', ratio {ratio:g}' if has_class else '')
            rows.append((label, mnist, refused))
    kinds = [k for k in rows[0][2] if not k.startswith('(')]
    everything = lambda refused: [x for k in kinds for x in refused[k]]
    header = ['threshold' + (', class ratio' if has_class else ''), 'MNIST test refused'] + kinds + ['all non-digits']
    print('| ' + ' | '.join(header) + ' |')
    print('|' + ' --- |' * len(header))
    for label, mnist, refused in rows:
        cells = [label, f'{100 * mnist:.2f} %'] + [f'{100 * sum(refused[k]) / len(refused[k]):.0f} %' for k in kinds]
        cells.append(f'{100 * sum(everything(refused)) / len(everything(refused)):.1f} %')
        print('| ' + ' | '.join(cells) + ' |')
    print(f'\n{len(files)} non-digits ({", ".join(kinds)}); "several" counts as refused when answered either way.')


if __name__ == '__main__':
    main()
