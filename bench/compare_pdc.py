"""Compares two PDC-STA result files member by member (RxRules' pdc_sta.csv against a peer's).

Both files need member_id, ipsd, treatment_days, covered_days, pdc and adherent; other columns
(pack, pack_version, pack_hash) are ignored. Values are compared as what they mean: dates as
ISO dates, days as integers, pdc as an exact decimal (0.8 equals 0.8000), adherent as a boolean.
Prints the counts and the first 10 mismatches; exits 1 when there is any mismatch, 2 on bad input.

usage: python3 bench/compare_pdc.py [--only-members FILE] OURS PEER
"""

import argparse
import csv
import datetime
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

FIELDS = ("ipsd", "treatment_days", "covered_days", "pdc", "adherent")
SHOWN = 10


class BadInput(Exception):
    """A file that does not follow the output contract, with the place that breaks it."""


def parse_boolean(text: str) -> bool:
    if text in ("true", "false"):
        return text == "true"
    raise ValueError(f"expected true or false, found {text!r}")


PARSERS = {
    "ipsd": datetime.date.fromisoformat,
    "treatment_days": int,
    "covered_days": int,
    "pdc": Decimal,
    "adherent": parse_boolean,
}


def read_results(path: Path) -> dict[str, dict[str, object]]:
    """Reads one result file into {member_id: {field: typed value}}."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [name for name in ("member_id",) + FIELDS if name not in (reader.fieldnames or [])]
        if missing:
            raise BadInput(f"{path}: header lacks {', '.join(missing)}")
        results: dict[str, dict[str, object]] = {}
        for row in reader:
            place = f"{path}:{reader.line_num}"
            member = row["member_id"]
            if member in results:
                raise BadInput(f"{place}: member {member} appears twice")
            results[member] = {name: parse_field(place, name, row[name]) for name in FIELDS}
        return results


def parse_field(place: str, name: str, text: str | None) -> object:
    try:
        return PARSERS[name]((text or "").strip())
    except (ValueError, InvalidOperation) as error:
        raise BadInput(f"{place}: field {name}: {error}") from None


def field_mismatches(ours: dict[str, dict[str, object]],
                     peer: dict[str, dict[str, object]]) -> list[tuple[str, str]]:
    """(member, description) per differing field of a member present in both files, in member order."""
    found = []
    for member in sorted(ours.keys() & peer.keys()):
        for name in FIELDS:
            if ours[member][name] != peer[member][name]:
                found.append((member, f"{name} ours={ours[member][name]} peer={peer[member][name]}"))
    return found


def restricted(results: dict[str, dict[str, object]], keep: set[str]) -> dict[str, dict[str, object]]:
    return {member: values for member, values in results.items() if member in keep}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ours", type=Path, help="RxRules' pdc_sta.csv")
    parser.add_argument("peer", type=Path, help="the peer's pdc_sta.csv")
    parser.add_argument("--only-members", type=Path, metavar="FILE",
                        help="compare only the member ids listed in FILE, one a line (a sample)")
    args = parser.parse_args()
    try:
        ours, peer = read_results(args.ours), read_results(args.peer)
        if args.only_members:
            keep = set(args.only_members.read_text(encoding="utf-8").split())
            ours, peer = restricted(ours, keep), restricted(peer, keep)
    except (BadInput, OSError) as error:
        print(f"compare_pdc: {error}", file=sys.stderr)
        return 2

    only_ours = sorted(ours.keys() - peer.keys())
    only_peer = sorted(peer.keys() - ours.keys())
    differing = field_mismatches(ours, peer)
    mismatches = [f"{member}: only in ours" for member in only_ours]
    mismatches += [f"{member}: only in peer" for member in only_peer]
    mismatches += [f"{member}: {description}" for member, description in differing]
    differing_members = len({member for member, _ in differing})

    print(f"ours {len(ours)} members, peer {len(peer)} members, common {len(ours.keys() & peer.keys())}")
    print(f"only in ours {len(only_ours)}, only in peer {len(only_peer)}, "
          f"common members with differences {differing_members} ({len(differing)} fields)")
    for line in mismatches[:SHOWN]:
        print("  " + line)
    print(f"mismatches: {len(mismatches)}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
