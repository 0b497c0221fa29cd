#!/usr/bin/env python3
"""Generate lib/places/places_tables.inc: Vietnam's administrative units for vnsearch.

Run from the repository root:
    /usr/bin/python3 lib/places/gen_places.py ../shared/gazetteer [OUTPUT]
The output is committed (like lib/text/char_table.inc); the upstream data is not. ctest's
places.tables_current regenerates it into a temporary file and compares (skipped when the
gazetteer is absent), so a stale or hand-edited table fails the suite. The
gazetteer folder holds three files from two MIT-licensed datasets (see NOTICE):
  units-before-2025.json  63 provinces -> 696 districts -> 10,035 communes
  units-2026.json         34 provinces -> 3,321 communes
  legacy-to-2025.csv      old commune -> new province and commune
Besides them the script reads two committed, hand-written files beside it:
  aliases.tsv    well-known alternative names (TP.HCM, Sài Gòn, Thủ đô...)
  context.tsv    names that are never accepted bare in documents (everyday phrases,
                 person names), with the corpus evidence for each

The table holds, for each unit: its code, level, geography, type, name (NFC, tone on the
second vowel of open oa/oe/uy syllables, as the analyzer writes terms: "Thanh Hoá",
"Hoà Bình"), its parent, and its links to the other geography:
  * an old unit -> the current provinces its communes went to (legacy-to-2025.csv);
  * a current unit -> the old provinces its communes came from.
Strings are one blob with offsets, so the .inc compiles fast.
"""
import csv
import json
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "places_tables.inc"

PROVINCE, DISTRICT, COMMUNE = 0, 1, 2
BEFORE, CURRENT = 0, 1
# Unit types, longest first so "Thành phố X" is not read as a type "Thành".
TYPES = ["Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh", "Xã"]
# Row flags (mirrored in places.cpp)
FLAG_CONTEXT = 1  # never accepted bare in a document: needs a type word or a parent

VOWELS = set("aăâeêioôơuưy")
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def place_tones(word: str) -> str:
    """Tone on the second vowel of an open syllable ending in oa/oe/uy (hòa -> hoà), the
    rule of place_tone in lib/text/normalize.cpp; case kept. Returns NFC."""
    d = unicodedata.normalize("NFD", word)
    # group into letters with their marks
    letters = []
    for ch in d:
        if unicodedata.combining(ch) and letters:
            letters[-1].append(ch)
        else:
            letters.append([ch])
    n = len(letters)
    if n >= 2:
        a, b = letters[n - 2], letters[n - 1]
        a_base, b_base = a[0].lower(), b[0].lower()
        a_tone = [m for m in a[1:] if m in TONES]
        a_shape = [m for m in a[1:] if m not in TONES]
        b_tone = [m for m in b[1:] if m in TONES]
        b_shape = [m for m in b[1:] if m not in TONES]
        pair = (a_base == "o" and b_base in "ae") or (a_base == "u" and b_base == "y")
        if pair and a_tone and not b_tone and not a_shape and not b_shape:
            before_ok = True
            if n >= 3:
                p = letters[n - 3][0].lower()
                if p == "q" or p in VOWELS:
                    before_ok = False
            if before_ok:
                letters[n - 2] = [a[0]]
                letters[n - 1] = [b[0]] + a_tone
    return unicodedata.normalize("NFC", "".join("".join(x) for x in letters))


def clean_name(name: str) -> str:
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    return " ".join(place_tones(w) for w in name.split(" "))


def split_full(full: str):
    full = unicodedata.normalize("NFC", full.strip())
    for t in TYPES:
        if full.lower().startswith(t.lower() + " "):  # the data has a few lower-case types
            return t, clean_name(full[len(t) + 1:])
    raise SystemExit(f"unknown unit type in {full!r}")


def c_string(b: bytes) -> str:
    out = []
    for x in b:
        c = chr(x)
        if c == "\\" or c == '"':
            out.append("\\" + c)
        elif 0x20 <= x < 0x7F and c != "?":
            out.append(c)
        else:
            out.append("\\%03o" % x)
    return "".join(out)


def main() -> None:
    if len(sys.argv) not in (2, 3):
        raise SystemExit("usage: gen_places.py GAZETTEER_DIR [OUTPUT]")
    src = Path(sys.argv[1])
    out_path = Path(sys.argv[2]) if len(sys.argv) == 3 else OUT
    old = json.load(open(src / "units-before-2025.json", encoding="utf-8"))
    new = json.load(open(src / "units-2026.json", encoding="utf-8"))

    units = []  # dicts: code, level, geo, type, name, parent (index or -1)
    index = {}  # (geo, code) -> row

    def add(code, level, geo, full, parent):
        t, name = split_full(full)
        index[(geo, code)] = len(units)
        units.append(dict(code=code, level=level, geo=geo, type=t, name=name, parent=parent, links=set(), flags=0))
        return len(units) - 1

    for p in old:
        pi = add(p["Code"], PROVINCE, BEFORE, p["FullName"], -1)
        for d in p["District"]:
            di = add(d["Code"], DISTRICT, BEFORE, d["FullName"], pi)
            for w in d["Ward"] or []:
                add(w["Code"], COMMUNE, BEFORE, w["FullName"], di)
    for p in new:
        pi = add(p["Code"], PROVINCE, CURRENT, p["FullName"], -1)
        for w in p["Wards"]:
            add(w["Code"], COMMUNE, CURRENT, w["FullName"], pi)

    def old_chain(i):
        while i >= 0:
            yield i
            i = units[i]["parent"]

    def current_province(i):
        while units[i]["parent"] >= 0:
            i = units[i]["parent"]
        return i

    # old -> new through the communes (or the island districts without communes)
    with open(src / "legacy-to-2025.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            newp = index[(CURRENT, "%02d" % int(r["newProvinceCode"]))]
            neww = index.get((CURRENT, "%05d" % int(r["newWardCode"])))
            if r["wardCode"]:
                start = index[(BEFORE, "%05d" % int(float(r["wardCode"])))]
            else:
                start = index[(BEFORE, "%03d" % int(r["districtCode"]))]
            oldp = None
            for i in old_chain(start):
                units[i]["links"].add(newp)
                oldp = i
            for j in ([neww] if neww is not None else []) + [newp]:
                units[j]["links"].add(oldp)
    # a current commune missing from the mapping: link it as its province is linked? No:
    # leave it without old provinces rather than guess.
    for u in units:
        if u["geo"] == BEFORE and not u["links"]:
            raise SystemExit(f"old unit without a current province: {u}")

    # hand-written tables
    context_names = set()
    for line in open(HERE / "context.tsv", encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        context_names.add(clean_name(line.split("\t")[0]))
    known_names = {u["name"] for u in units}
    for n in context_names:
        if n not in known_names:
            raise SystemExit(f"context.tsv: no unit is named {n!r}")
    for u in units:
        if u["name"] in context_names:
            u["flags"] |= FLAG_CONTEXT

    aliases = []  # (text, unit index, typed_only)
    for line in open(HERE / "aliases.tsv", encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 3:
            raise SystemExit(f"aliases.tsv: bad line {line!r}")
        text, target, mode = cols[0], cols[1], cols[2]
        geo_s, code = target.split(":")
        geo = {"old": BEFORE, "new": CURRENT}[geo_s]
        if (geo, code) not in index:
            raise SystemExit(f"aliases.tsv: no unit {target}")
        if mode not in ("bare", "typed"):
            raise SystemExit(f"aliases.tsv: mode must be bare or typed: {line!r}")
        aliases.append((clean_name(text), index[(geo, code)], 1 if mode == "typed" else 0))

    # string blob (interned), in chunks under 65,536 bytes: the longest string literal a
    # compiler must support (clang -Wpedantic warns beyond). Offsets run across the chunks
    # as if they were one; no string straddles two.
    CHUNK = 60000
    chunks = [bytearray()]
    offsets = {}

    def intern(s):
        b = s.encode("utf-8")
        if b not in offsets:
            if len(chunks[-1]) + len(b) > CHUNK:
                chunks.append(bytearray())
            offsets[b] = CHUNK * (len(chunks) - 1) + len(chunks[-1])
            chunks[-1].extend(b)
        return offsets[b], len(b)

    type_ids = {t: i for i, t in enumerate(TYPES)}
    links = []
    rows = []
    for u in units:
        off, ln = intern(u["name"])
        assert ln < 256
        lk = sorted(u["links"], key=lambda i: units[i]["code"])
        rows.append((off, int(u["code"]), u["parent"] if u["parent"] >= 0 else 0xFFFF, len(links), ln,
                     type_ids[u["type"]], u["level"], u["geo"], u["flags"], len(lk)))
        links.extend(lk)
    alias_rows = []
    for text, target, typed in aliases:
        off, ln = intern(text)
        alias_rows.append((off, ln, target, typed))
    # the row's 16-bit fields (lib/places/places.cpp, PlaceRow)
    assert len(units) < 0xFFFF and len(links) < 0x10000 and max(int(u["code"]) for u in units) < 0x10000

    out = []
    out.append("// Generated by lib/places/gen_places.py from the gazetteer (../shared/gazetteer), with\n"
               "// lib/places/aliases.tsv and lib/places/context.tsv. Do not edit: regenerate with\n"
               "//   /usr/bin/python3 lib/places/gen_places.py ../shared/gazetteer\n"
               "// Derived from vietnamese-provinces-database and vietnamadminunits (MIT; see NOTICE).\n")
    out.append(f"// {len(units)} units, {len(aliases)} aliases, {sum(map(len, chunks))} bytes of names.\n")
    out.append("static constexpr const char* kPlaceTypes[] = {" +
               ", ".join('"' + c_string(t.encode()) + '"' for t in TYPES) + "};\n")
    out.append(f"// names: offset / {CHUNK} is the chunk, offset % {CHUNK} the place in it\n")
    out.append(f"static constexpr std::uint32_t kPlaceChunk = {CHUNK};\n")
    for k, chunk in enumerate(chunks):
        out.append(f"static constexpr char kPlaceBlob{k}[] =\n")
        for i in range(0, len(chunk), 96):
            out.append('  "' + c_string(bytes(chunk[i:i + 96])) + '"\n')
        out.append(";\n")
    out.append("static constexpr const char* kPlaceBlobs[] = {" +
               ", ".join(f"kPlaceBlob{k}" for k in range(len(chunks))) + "};\n")
    out.append("// name offset, code, parent, links offset, name length, type, level, geography, flags, links count\n")
    out.append("static constexpr PlaceRow kPlaceRows[] = {\n")
    for r in rows:
        out.append("{%d,%d,%d,%d,%d,%d,%d,%d,%d,%d},\n" % r)
    out.append("};\n")
    out.append("static constexpr std::uint16_t kPlaceLinks[] = {\n")
    for i in range(0, len(links), 24):
        out.append(",".join(str(x) for x in links[i:i + 24]) + ",\n")
    out.append("};\n")
    out.append("// text offset, text length, unit, typed only\n")
    out.append("static constexpr AliasRow kPlaceAliases[] = {\n")
    for r in alias_rows:
        out.append("{%d,%d,%d,%d},\n" % r)
    out.append("};\n")
    out_path.write_text("".join(out), encoding="utf-8")
    print(f"wrote {out_path}: {len(units)} units, {len(aliases)} aliases, {sum(map(len, chunks))} bytes of names",
          file=sys.stderr)


if __name__ == "__main__":
    main()
