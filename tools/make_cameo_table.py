"""Regenerate tidings/data/cameo.tsv from the CAMEO codebook facts (developer tool, not shipped).

    python tools/make_cameo_table.py ../shared/reference/cameo_eventcodes_goldstein_plover.tsv

Keeps code, name, Goldstein value, quad class and the CAMEO->PLOVER 2021 mapping. Two decisions of ours
are written into the file header: 02 (appeal) maps to REQUEST, and 01 (statements) maps to nothing.
"""
import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tidings" / "data" / "cameo.tsv"
HEADER = """# CAMEO event codes with Goldstein values, quad classes and the CAMEO->PLOVER 2021 mapping.
# Facts from the CAMEO 1.1b3 codebook (Goldstein values as used by GDELT) and PLOVER's
# CAMEO2PLOVER-2021 table (openeventdata/PLOVER, CC BY-SA 4.0). Regenerate: tools/make_cameo_table.py
# Our decisions: CAMEO 02 (APPEAL) maps to PLOVER REQUEST (PLOVER folds appeals and demands into
# REQUEST; CAMEO2PLOVER-2021 leaves 02 unmapped). CAMEO 01 (public statements) has no PLOVER type and
# tidings does not code it as an event.
"""


def main(src: str) -> None:
    rows = list(csv.DictReader(open(src, encoding="utf-8"), delimiter="\t"))
    with OUT.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        out.write("code\tname\tgoldstein\tquad_class\tplover\tplover_mode\tplover_context\n")
        for r in rows:
            plover = r["plover2021_event"] or ("REQUEST" if r["root_code"] == "02" else "")
            context = "|".join(c.strip() for c in r["plover2021_context"].split(";") if c.strip())
            name = r["name_gdelt"].replace('""', '"').strip('"')
            out.write("\t".join([r["cameo_code"], name, r["goldstein_gdelt"], r["quad_class"], plover,
                                 r["plover2021_mode"], context]) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
