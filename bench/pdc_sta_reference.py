"""A slow, plain-Python PDC-STA (MY 2025, no stay adjustment) for a sample of members.

A third opinion for the peers: written the direct way (the shift recurrence fill by fill, covered
days as a set of day numbers) rather than with the closed form and interval union the SQL and
Polars peers share. Standard library only. Writes OUT/pdc_sta.csv for the sampled members that
are in the denominator; compare it with a peer's file restricted to the same sample
(bench/compare_pdc.py --only-members OUT/sample.txt).

usage: python3 bench/pdc_sta_reference.py [--sample N] [--out OUT] [--valueset FILE] [DATA]
"""

import argparse
import csv
import datetime
import zlib
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
YEAR_FIRST = datetime.date(2025, 1, 1)
YEAR_LAST = datetime.date(2025, 12, 31)
ESRD = {"N186", "Z992"}


def sampled(member: str, every: int) -> bool:
    """A stable pseudo-random 1-in-`every` choice of members."""
    return zlib.crc32(member.encode()) % every == 0


def read_rows(path: Path):
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def statin_ingredients(path: Path) -> dict[str, str]:
    return {row["code"]: row["ingredient"] for row in read_rows(path)}


def statin_fills(data: Path, statins: dict[str, str], every: int) -> dict[str, list[tuple]]:
    """Per sampled member: (fill_date, claim_id, days_supply, ingredient) of paid, not reversed
    statin fills dated in the year."""
    paid: dict[str, list[tuple]] = defaultdict(list)
    reversed_ids: set[str] = set()
    for row in read_rows(data / "pharmacy_claims.csv"):
        if (row["status"] or "paid") == "reversed":
            reversed_ids.add(row["claim_id"])
        elif sampled(row["member_id"], every) and row["ndc"] in statins:
            day = datetime.date.fromisoformat(row["fill_date"])
            if YEAR_FIRST <= day <= YEAR_LAST:
                paid[row["member_id"]].append((day, row["claim_id"], int(row["days_supply"]), statins[row["ndc"]]))
    return {member: [fill for fill in fills if fill[1] not in reversed_ids] for member, fills in paid.items()}


def excluded(data: Path, every: int) -> set[str]:
    members = set()
    for row in read_rows(data / "medical_claims.csv"):
        if not sampled(row["member_id"], every):
            continue
        overlaps = (datetime.date.fromisoformat(row["from_date"]) <= YEAR_LAST
                    and datetime.date.fromisoformat(row["thru_date"]) >= YEAR_FIRST)
        codes = {code.replace(".", "").strip().upper() for code in (row["dx_codes"] or "").split("|")}
        if overlaps and (row["setting"] == "hospice" or codes & ESRD):
            members.add(row["member_id"])
    return members


def covered(fills: list[tuple], first: datetime.date, last: datetime.date) -> int:
    """Distinct days in first..last covered, shifting early refills of the same ingredient."""
    days: set[datetime.date] = set()
    previous_end: dict[str, datetime.date] = {}
    for fill_date, _, supply, ingredient in sorted(fills):
        start = fill_date
        if ingredient in previous_end:
            start = max(start, previous_end[ingredient] + datetime.timedelta(days=1))
        end = start + datetime.timedelta(days=supply - 1)
        previous_end[ingredient] = end
        day = start
        while day <= end:
            if first <= day <= last:
                days.add(day)
            day += datetime.timedelta(days=1)
    return len(days)


def rounded(ratio: Fraction) -> str:
    """Half-even to 4 decimals."""
    scaled = round(ratio * 10000)  # round() on a Fraction is half-even
    return f"{scaled // 10000}.{scaled % 10000:04d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=REPO / "bench" / "data")
    parser.add_argument("--sample", type=int, default=50, help="keep 1 member in N (default 50)")
    parser.add_argument("--out", type=Path, default=REPO / "out" / "pdc-reference")
    parser.add_argument("--valueset", type=Path,
                        default=REPO / "rules" / "pqa-adherence" / "valuesets" / "statins.csv")
    args = parser.parse_args()

    fills = statin_fills(args.data, statin_ingredients(args.valueset), args.sample)
    out_of_scope = excluded(args.data, args.sample)
    args.out.mkdir(parents=True, exist_ok=True)
    members = [row for row in read_rows(args.data / "members.csv") if sampled(row["member_id"], args.sample)]
    (args.out / "sample.txt").write_text("".join(row["member_id"] + "\n" for row in members))
    results = []
    for row in sorted(members, key=lambda row: row["member_id"]):
        member, own = row["member_id"], fills.get(row["member_id"], [])
        if datetime.date.fromisoformat(row["birth_date"]) > datetime.date(2007, 1, 1):
            continue
        if len({fill[0] for fill in own}) < 2 or member in out_of_scope:
            continue
        ipsd = min(fill[0] for fill in own)
        death = datetime.date.fromisoformat(row["death_date"]) if row["death_date"] else YEAR_LAST
        last = min(YEAR_LAST, death)
        treatment = (last - ipsd).days + 1
        if treatment < 91:
            continue
        days = covered(own, ipsd, last)
        ratio = Fraction(days, treatment)
        results.append([member, ipsd.isoformat(), treatment, days, rounded(ratio),
                        "true" if ratio >= Fraction(4, 5) else "false"])
    with (args.out / "pdc_sta.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["member_id", "ipsd", "treatment_days", "covered_days", "pdc", "adherent"])
        writer.writerows(results)
    print(f"reference: PDC-STA {len(results)} of {len(members)} sampled members")


if __name__ == "__main__":
    main()
