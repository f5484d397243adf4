"""Export the calendar of the `holidays` package (PyPI) for Brazil and its 27 states.

Writes shared/tests/data/holidays_pypi_br.csv (uf,date,name), one row per state and day,
national days included, for the years 2020-2035. Only the package's default category
(`public`) is used: its `optional` category holds pontos facultativos (Carnaval, Corpus
Christi, 28 October, 24 and 31 December), which are not holidays.

Run from the repository root:
    pip install -r tools/holidays/requirements.txt
    python3 tools/holidays/export_pypi.py
The Rust test shared/tests/holidays_pypi.rs reads the file; no Python runs at test time.
"""

import csv
import sys
from pathlib import Path

import holidays

YEARS = range(2020, 2036)
UFS = (
    "AC AL AM AP BA CE DF ES GO MA MG MS MT PA PB PE PI PR RJ RN RO RR RS SC SE SP TO"
).split()
OUT = Path(__file__).resolve().parents[2] / "shared/tests/data/holidays_pypi_br.csv"


def main() -> None:
    rows = []
    for uf in UFS:
        calendar = holidays.country_holidays(
            "BR", subdiv=uf, years=YEARS, categories=("public",), language="pt_BR"
        )
        rows.extend((uf, day.isoformat(), name) for day, name in calendar.items())
    rows.sort()
    with OUT.open("w", newline="", encoding="utf-8") as out:
        out.write(f"# holidays=={holidays.__version__}, category public, BR, 2020-2035\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("uf", "date", "name"))
        writer.writerows(rows)
    print(f"{len(rows)} rows -> {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
