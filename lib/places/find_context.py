#!/usr/bin/env python3
"""Evidence for lib/places/context.tsv: how the news corpora use each province and
district name. Not run by the build; run it by hand when revising context.tsv:

    zstd -dc ../shared/corpus/vietnews.jsonl.zst | head -30000 > /tmp/vn.jsonl
    /usr/bin/python3 lib/places/find_context.py ../shared/gazetteer /tmp/vn.jsonl [NAME...]

For every name of 2-3 syllables it counts, over whole syllables (case-insensitive match,
both tone placements): `lower` = written in lower case ("hoà bình": an everyday phrase);
`typed` = capitalized right after a type word (tỉnh, huyện, TP...); `bare` = capitalized
without one; `person` = capitalized right after a person title or a capitalized word (part of
a person's name: "Nguyễn Thái Bình", "ông Hoà Bình"). A name whose lower-case or person uses
are common compared with its typed uses belongs in context.tsv (never accepted bare). Names
given as arguments also print sample contexts of their bare uses.
"""
import collections
import json
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_places import clean_name, split_full  # noqa: E402

TYPE_WORDS = {"tỉnh", "huyện", "quận", "tp", "phố", "xã", "trấn", "thị", "phường"}
PERSON = {"ông", "bà", "anh", "chị", "em", "cô", "chú", "bác", "cụ", "cháu", "đồng", "chí", "vua", "tên"}
WORD = re.compile(r"\w+", re.UNICODE)


def main():
    gaz, corpus = Path(sys.argv[1]), sys.argv[2]
    show = {clean_name(a) for a in sys.argv[3:]}
    old = json.load(open(gaz / "units-before-2025.json", encoding="utf-8"))
    names = {}
    for p in old:
        names.setdefault(split_full(p["FullName"])[1], "province")
        for d in p["District"]:
            names.setdefault(split_full(d["FullName"])[1], "district")
    keys = {}
    for n, lvl in names.items():
        syl = n.lower().split()
        if 2 <= len(syl) <= 3:
            keys[tuple(syl)] = n
    stats = collections.defaultdict(collections.Counter)
    samples = collections.defaultdict(list)
    for line in open(corpus, encoding="utf-8"):
        d = json.loads(line)
        text = d.get("text") or "\n".join((d.get("title", ""), d.get("summary", ""), d.get("body", "")))
        toks = [(m.group(0), m.start(), m.end()) for m in WORD.finditer(unicodedata.normalize("NFC", text))]
        low = [clean_name(t[0]).lower() for t in toks]
        for i in range(len(toks)):
            for n in (2, 3):
                k = tuple(low[i:i + n])
                if len(k) < n or k not in keys:
                    continue
                name = keys[k]
                words = [t[0] for t in toks[i:i + n]]
                if words[0][0].islower():
                    stats[name]["lower"] += 1
                    continue
                prev = low[i - 1] if i else ""
                prev_raw = toks[i - 1][0] if i else ""
                gap = text[toks[i - 1][2]:toks[i][1]] if i else "."
                if prev in TYPE_WORDS:
                    stats[name]["typed"] += 1
                elif prev in PERSON or (prev_raw[:1].isupper() and not re.search(r"[.!?:\n]", gap)):
                    stats[name]["person"] += 1
                else:
                    stats[name]["bare"] += 1
                if name in show and prev not in TYPE_WORDS and len(samples[name]) < 12:
                    samples[name].append(text[max(0, toks[i][1] - 50):toks[i][2] + 40].replace("\n", " "))
    for name in sorted(stats, key=lambda x: -sum(stats[x].values())):
        s = stats[name]
        print(f"{name}\t{names[name]}\tlower={s['lower']}\ttyped={s['typed']}\tbare={s['bare']}\tperson={s['person']}")
    for name in show:
        print("==", name)
        for x in samples[name]:
            print("   ", x)


if __name__ == "__main__":
    main()
