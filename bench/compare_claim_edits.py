"""Compares two claim-rule result files claim by claim (RxRules' OUT/<rule>.csv against a peer's).

Both files need claim_id, member_id, fill_date, decision, reject_code and next_fill_date; other
columns (message, pack, pack_version, pack_hash) are ignored. A claim is keyed by member and claim
id; dates are compared as ISO dates (empty = none). A claim in one file only is a mismatch.
Prints the counts and the first 10 mismatches; exits 1 when there is any mismatch, 2 on bad input.

usage: python3 bench/compare_claim_edits.py OURS PEER
"""

import argparse
import csv
import datetime
import sys
from pathlib import Path

FIELDS = ("fill_date", "decision", "reject_code", "next_fill_date")
SHOWN = 10


class BadInput(Exception):
    """A file that does not follow the output contract, with the place that breaks it."""


def parse_date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


PARSERS = {"fill_date": parse_date, "decision": str, "reject_code": str, "next_fill_date": parse_date}


def read_decisions(path: Path) -> dict[tuple[str, str], dict[str, object]]:
    """Reads one result file into {(member_id, claim_id): {field: typed value}}."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [name for name in ("claim_id", "member_id") + FIELDS if name not in (reader.fieldnames or [])]
        if missing:
            raise BadInput(f"{path}: header lacks {', '.join(missing)}")
        decisions: dict[tuple[str, str], dict[str, object]] = {}
        for row in reader:
            place = f"{path}:{reader.line_num}"
            key = (row["member_id"], row["claim_id"])
            if key in decisions:
                raise BadInput(f"{place}: claim {key[1]} of member {key[0]} appears twice")
            try:
                decisions[key] = {name: PARSERS[name]((row[name] or "").strip()) for name in FIELDS}
            except ValueError as error:
                raise BadInput(f"{place}: {error}") from error
        return decisions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ours", type=Path)
    parser.add_argument("peer", type=Path)
    args = parser.parse_args()
    try:
        ours, peer = read_decisions(args.ours), read_decisions(args.peer)
    except (BadInput, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    mismatches: list[str] = []
    for key in sorted(ours.keys() | peer.keys()):
        mine, theirs = ours.get(key), peer.get(key)
        if mine is None or theirs is None:
            mismatches.append(f"member {key[0]} claim {key[1]}: only in {'peer' if mine is None else 'ours'}")
            continue
        differing = [f"{name} {mine[name]} vs {theirs[name]}" for name in FIELDS if mine[name] != theirs[name]]
        if differing:
            mismatches.append(f"member {key[0]} claim {key[1]}: " + ", ".join(differing))
    rejected = sum(1 for decision in ours.values() if decision["decision"] == "reject")
    members = len({key[0] for key in ours})
    print(f"claims: ours {len(ours)} ({rejected} rejected, {members} members), peer {len(peer)}; "
          f"mismatches: {len(mismatches)}")
    for line in mismatches[:SHOWN]:
        print(f"  {line}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
