#!/usr/bin/env python3
"""Writes fortunes.csv.gz (Category,Text) from the fortune files of Debian's `fortunes` and `fortunes-min` packages.

Usage: make-csv.py DIR  (DIR: the packages' /usr/share/games/fortunes, e.g. after `dpkg-deb -x`).
Each fortune is one row: its file's name as the category, its text with line breaks and runs of spaces made one space.
Files of fewer than 50 fortunes (ascii-art, magic, pratchett, translate-me) are left out.
"""
import csv, gzip, os, re, sys

directory = sys.argv[1]
rows = []
for name in sorted(os.listdir(directory)):
    path = os.path.join(directory, name)
    if not os.path.isfile(path) or name.endswith(('.dat', '.u8')) or os.path.islink(path):
        continue
    with open(path, encoding='utf-8', errors='replace') as f:
        texts = [re.sub(r'\s+', ' ', t).strip() for t in f.read().split('\n%\n')]
    texts = [t for t in texts if t and t != '%']
    if len(texts) >= 50:
        rows += [(name, t) for t in texts]
with gzip.open('fortunes.csv.gz', 'wt', encoding='utf-8', newline='') as out:
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(['Category', 'Text'])
    writer.writerows(rows)
print(f'{len(rows)} fortunes in {len(set(r[0] for r in rows))} categories')
