#!/usr/bin/env python3
"""How often `digits classify` refuses printed letters, per letter, in every font installed here.

Each letter is drawn black on a white 200 x 200 canvas at 120 px in every TrueType/OpenType file
under /usr/share/fonts (the training faces of `printed` and `nondigits` among them, so this is a
check of what the model does with the letters people type, not a held-out measure); a face that
draws nothing for a letter is skipped. One `digits classify --json` call reads them all. Prints
per letter the pictures refused ("not a digit" or "several digits") of those drawn, and the digits
the others were read as.

    python3 tools/letter-refusals.py [--model M] [--binary .build/release/digits] [--letters AHKMNRXYaeh]
"""
import argparse
import collections
import glob
import json
import os
import subprocess
import sys
import tempfile

from PIL import Image, ImageDraw, ImageFont

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--binary', default=os.path.join(REPO, '.build', 'release', 'digits'))
    parser.add_argument('--model', help='model file (default: the binary\'s own)')
    parser.add_argument('--letters', default='AHKMNRXYaeh')
    args = parser.parse_args()
    fonts = sorted(glob.glob('/usr/share/fonts/**/*.ttf', recursive=True)
                   + glob.glob('/usr/share/fonts/**/*.otf', recursive=True))
    with tempfile.TemporaryDirectory(prefix='letters-') as folder:
        letter_of = {}
        for number, font in enumerate(fonts):
            try:
                face = ImageFont.truetype(font, 120)
            except OSError:
                continue
            for letter in args.letters:
                image = Image.new('L', (200, 200), 255)
                ImageDraw.Draw(image).text((30, 10), letter, font=face, fill=0)
                if image.getextrema()[0] > 128:
                    continue  # the face has no such glyph
                path = os.path.join(folder, f'{number:04d}-{ord(letter):05d}.png')
                image.save(path)
                letter_of[path] = letter
        command = [args.binary, 'classify', '--json'] + (['--model', args.model] if args.model else []) + [folder]
        output = subprocess.run(command, capture_output=True, text=True).stdout
        refused, drawn, read_as = collections.Counter(), collections.Counter(), collections.defaultdict(collections.Counter)
        for line in output.splitlines():
            answer = json.loads(line)
            letter = letter_of[answer['file']]
            drawn[letter] += 1
            if answer.get('digit') is None and 'error' not in answer:
                refused[letter] += 1
            elif answer.get('digit') is not None:
                read_as[letter][answer['digit']] += 1
    if not drawn:
        sys.exit('letter-refusals: no picture was classified (no fonts under /usr/share/fonts?)')
    print(f'{len(fonts)} font files; refused of drawn, then what the others were read as')
    for letter in args.letters:
        others = ', '.join(f'{digit} x{count}' for digit, count in read_as[letter].most_common())
        print(f'  {letter}  {refused[letter]:4d} / {drawn[letter]:4d}  {others}')
    total_refused, total = sum(refused.values()), sum(drawn.values())
    print(f'all {total_refused} / {total} ({100 * total_refused / total:.1f} %)')


if __name__ == '__main__':
    main()
